// What the expert sees of a save: "saving…", then "saved" as soon as the server acknowledges it
// (before the queue and the history reload), "unsaved" after the next edit, "not saved"
// after a failure. Each save is timed with performance marks (loupe-save-start, -encoded, -ack)
// and its durations are appended to window.loupeSaves for the browser test.

import { $ } from './ui.js';

export class SaveIndicator {
  constructor() {
    this.saving = false;
    this.savedMask = null;      // the editor's mask the last acknowledged save was of
    this.failedMask = null;     // the editor's mask the last failed save was of
    window.loupeSaves = [];
  }

  start() {
    this.saving = true;
    performance.clearMarks('loupe-save-start');
    performance.mark('loupe-save-start');
  }

  encoded() { performance.mark('loupe-save-encoded'); }

  acknowledged(editor) {
    performance.mark('loupe-save-ack');
    const encode = performance.measure('loupe-save-encode', 'loupe-save-start', 'loupe-save-encoded');
    const ack = performance.measure('loupe-save-key-to-ack', 'loupe-save-start', 'loupe-save-ack');
    window.loupeSaves.push({ encodeMs: encode.duration, keyToAckMs: ack.duration });
    this.saving = false;
    this.savedMask = editor.mask;
    this.failedMask = null;
    this.render(editor);
  }

  failed(editor) {
    this.saving = false;
    this.failedMask = editor.mask;
    this.render(editor);
  }

  render(editor) {
    const [text, kind] = this.saving ? ['saving…', 'saving']
      : editor.unsaved ? (this.failedMask === editor.mask ? ['not saved', 'failed'] : ['unsaved', 'unsaved'])
        : this.savedMask && this.savedMask === editor.mask ? ['saved', 'saved'] : ['', ''];
    const out = $('save-state');
    out.textContent = text;
    out.dataset.state = kind;
  }
}
