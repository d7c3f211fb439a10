// How a mask was made, for the audit: the hints and the strokes the editor's undo stack still
// holds (an undone edit is not part of the mask, so it is not recorded), sent with the saved
// mask. The server recomputes the hinted mask from the clicks and records where the saved
// pixels came from: the model, the hints or the hand.

// The server's bounds (CorrectionMaking in the log): a longer stroke keeps every other point.
const MAX_STROKES = 1000;
const MAX_POINTS = 500;

/** The audit note of a stroke starting at image point `p`, kept on its history record. */
export function strokeNote(tool, size, p) {
  return { stroke: { tool, size: Math.round(size), points: [Math.round(p.x), Math.round(p.y)] } };
}

/** Adds image point `p` to a stroke's note, thinning the stroke when it reaches the bound. */
export function addPoint(note, p) {
  const points = note.stroke.points;
  if (points.length >= 2 * MAX_POINTS) {
    const kept = [];
    for (let k = 0; k < points.length; k += 4) kept.push(points[k], points[k + 1]);
    note.stroke.points = kept;
  }
  note.stroke.points.push(Math.round(p.x), Math.round(p.y));
}

/** The clicks the mask still holds, in the order made, and the model that answered the last. */
export function hintsHeld(editor) {
  const hints = editor.undoStack.filter((r) => r.meta && r.meta.hint).map((r) => r.meta.hint);
  return { clicks: hints.flatMap((h) => h.clicks), model: hints.length ? hints[hints.length - 1].model : null };
}

/** The request body of a correction: the bare PNG, or JSON with how it was made. */
export async function correctionBody(editor, png) {
  const { clicks, model } = hintsHeld(editor);
  const strokes = editor.undoStack.filter((r) => r.meta && r.meta.stroke).map((r) => r.meta.stroke).slice(-MAX_STROKES);
  if (!clicks.length && !strokes.length) return { body: png, type: 'image/png' };
  const bytes = new Uint8Array(await png.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  const making = { clicks, hintModel: model, strokes };
  return { body: JSON.stringify({ mask: btoa(binary), making }), type: 'application/json' };
}
