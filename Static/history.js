// Undo and redo of mask edits. An edit is kept as the box around the pixels it changed, before
// and after, rather than as a whole mask, so 200 steps of a large image stay small.

const UNDO_LIMIT = 200;

export class History {
  constructor() {
    this.clear();
  }

  /** Forgets every edit: the mask as it is now is the new baseline. */
  clear() {
    this.undoStack = [];
    this.redoStack = [];
    this.nextId = 1;
    this.baseId = 0;            // the state below the oldest edit still kept
    this.savedId = 0;
  }

  /**
   * Which state the mask is in: the id of the newest edit applied, or the baseline's. Undoing
   * back to a state gives its id again, so a save can say which state it wrote even if the
   * expert kept editing while it ran.
   */
  get version() { return this.undoStack.length ? this.undoStack[this.undoStack.length - 1].id : this.baseId; }
  get unsaved() { return this.version !== this.savedId; }
  markSaved(version = this.version) { this.savedId = version; }

  begin(mask) {
    return { snapshot: mask.slice(), box: { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity } };
  }

  /** Records what an edit changed (the box around it, before and after); false if nothing did. */
  record(edit, mask, width) {
    const { snapshot, box } = edit;
    if (!(box.x1 > box.x0)) return false;
    const bw = box.x1 - box.x0, bh = box.y1 - box.y0;
    const before = new Uint8Array(bw * bh), after = new Uint8Array(bw * bh);
    let same = true;
    for (let j = 0; j < bh; j++) {
      const row = (box.y0 + j) * width + box.x0;
      before.set(snapshot.subarray(row, row + bw), j * bw);
      after.set(mask.subarray(row, row + bw), j * bw);
    }
    for (let k = 0; k < before.length && same; k++) same = before[k] === after[k];
    if (same) return false;
    // `meta` is what the edit was (a stroke, a hint), for the audit of the saved mask.
    this.undoStack.push({ ...box, before, after, meta: edit.meta, id: this.nextId++ });
    // The dropped edit's state becomes the lowest reachable one; an older saved state is out of reach.
    if (this.undoStack.length > UNDO_LIMIT) this.baseId = this.undoStack.shift().id;
    this.redoStack = [];
    return true;
  }

  /** Takes the last edit back out of `mask`; its record (the box it covers), or null if none. */
  undo(mask, width) { return move(this.undoStack, this.redoStack, 'before', mask, width); }

  redo(mask, width) { return move(this.redoStack, this.undoStack, 'after', mask, width); }
}

/** Moves the top record from one stack to the other, writing its `which` side into `mask`. */
function move(from, to, which, mask, width) {
  if (!from.length) return null;
  const record = from.pop();
  const bw = record.x1 - record.x0, bh = record.y1 - record.y0, src = record[which];
  for (let j = 0; j < bh; j++) {
    mask.set(src.subarray(j * bw, (j + 1) * bw), (record.y0 + j) * width + record.x0);
  }
  to.push(record);
  return record;
}

export function grow(box, x0, y0, x1, y1) {
  box.x0 = Math.min(box.x0, x0);
  box.y0 = Math.min(box.y0, y0);
  box.x1 = Math.max(box.x1, x1);
  box.y1 = Math.max(box.y1, y1);
}
