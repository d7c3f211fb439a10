// The hint tool: the expert points, the model follows. A click says "vessel here", a
// shift-click or a right-click "no vessel here"; the serving model (trained with
// model.guidance) re-predicts the region the click can change, with every click so far
// (POST /api/v1/images/{id}/hints), and the overlay changes in place where the model changed
// its mind, so strokes drawn by hand elsewhere stay. Each hint is one edit of the editor's
// history: Ctrl+Z takes it back, and the hinted mask is what brush, eraser and polyline work on.

import * as api from './api.js';
import { enc } from './api.js';
import { maskValues } from './editor.js';
import { grow } from './history.js';
import { hintsHeld } from './making.js';
import { $ } from './ui.js';

export class Hints {
  /** `openImage()` is the id of the image open for editing, or null; `notice(text, kind)` tells the expert. */
  constructor(editor, { openImage, notice }) {
    this.editor = editor;
    this.openImage = openImage;
    this.notice = notice;
    // Hints go one at a time: each answer builds on every earlier click.
    this.queue = Promise.resolve();
    editor.canvas.addEventListener('pointerdown', (e) => this.pointerDown(e));
  }

  /** Shows the tool only when the serving model takes hints. */
  setAvailable(available) {
    $('tool-hint').hidden = !available;
    if (!available && this.editor.tool === 'hint') this.editor.setTool('brush');
  }

  pointerDown(e) {
    const { editor } = this;
    if (editor.tool !== 'hint' || !editor.image || editor.readOnly || editor.tools.spaceDown) return;
    if (e.button !== 0 && e.button !== 2) return;
    const rect = editor.canvas.getBoundingClientRect();
    const q = editor.view.toImage(e.clientX - rect.left, e.clientY - rect.top);
    const click = { x: Math.floor(q.x), y: Math.floor(q.y), kind: e.button === 2 || e.shiftKey ? 'background' : 'vessel' };
    if (click.x < 0 || click.y < 0 || click.x >= editor.width || click.y >= editor.height) return;
    e.preventDefault();
    const id = this.openImage();
    if (!id) return;
    this.queue = this.queue.then(() => this.ask(id, click)).catch((error) => this.notice(`Hint not taken: ${error.message}`, 'error'));
  }

  async ask(id, click) {
    const held = hintsHeld(this.editor);
    const request = { clicks: [...held.clicks, click], new: 1 };
    if (held.model) request.model = held.model;
    document.body.dataset.hinting = '1';
    try {
      const answer = await api.postJSON(`/images/${enc(id)}/hints`, request);
      // The image may have been closed, or another opened, while the model worked.
      if (this.openImage() !== id) return;
      await this.apply(answer, click);
    } finally {
      delete document.body.dataset.hinting;
    }
  }

  /** Sets the region's pixels where the answer's mask differs from the one before the click. */
  async apply(answer, click) {
    const { editor } = this;
    const { x, y, width, height } = answer.region;
    const [after, before] = await Promise.all([regionMask(answer.mask, width, height), regionMask(answer.previousMask, width, height)]);
    const edit = editor.beginEdit();
    edit.meta = { hint: { clicks: [click], model: answer.model } };
    for (let j = 0; j < height; j++) {
      for (let i = 0; i < width; i++) {
        const k = j * width + i;
        if ((after[k] >= 128) === (before[k] >= 128)) continue;
        editor.mask[(y + j) * editor.width + x + i] = after[k] >= 128 ? 1 : 0;
        grow(edit.box, x + i, y + j, x + i + 1, y + j + 1);
      }
    }
    editor.refreshOverlay(x, y, x + width, y + height);
    editor.endEdit(edit);
    const changed = editor.undoStack.length && editor.undoStack[editor.undoStack.length - 1].meta === edit.meta;
    document.body.dataset.hints = String(hintsHeld(editor).clicks.length);
    this.notice(changed ? '' : `The model changed nothing at (${click.x}, ${click.y}); draw it by hand, or click elsewhere.`);
  }
}

/** A base64 grey PNG of a region as one value (0..255) a pixel. */
async function regionMask(base64, width, height) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
  return maskValues(bitmap, width, height);
}
