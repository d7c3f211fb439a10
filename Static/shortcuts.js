// The keyboard: every shortcut in one place (the help dialog in index.html lists them).
// `actions` is what the page can do; the editor's own tools are called directly.

import { $ } from './ui.js';

export function installShortcuts(editor, actions) {
  document.addEventListener('keydown', (e) => onKeyDown(e, editor, actions));
  document.addEventListener('keyup', (e) => onKeyUp(e, editor));
  window.addEventListener('blur', () => editor.setSpace(false));
}

function typing(target) {
  return target instanceof HTMLInputElement && (target.type === 'text' || target.type === 'password');
}

function onKeyDown(e, editor, actions) {
  if (!$('help').hidden) {
    if (e.key === 'Escape' || e.key === '?') { e.preventDefault(); actions.toggleHelp(false); }
    return;
  }
  if (typing(e.target)) return;
  const ctrl = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (ctrl) {
    const command = {
      z: () => (e.shiftKey ? editor.redo() : editor.undo()),
      y: () => editor.redo(),
      s: () => actions.save(),
      Enter: () => actions.save({ next: true }),
    }[key];
    if (command) { e.preventDefault(); command(); }
    return;
  }
  if (e.altKey) return;
  switch (key) {
    case ' ':
      // Space is for panning: a toolbar button that kept the focus after a click must not fire.
      e.preventDefault();
      if (e.target instanceof HTMLElement && e.target !== document.body && e.target.id !== 'stage') $('stage').focus({ preventScroll: true });
      if (!e.repeat) editor.setSpace(true);
      break;
    case '?': e.preventDefault(); actions.toggleHelp(true); break;
    case 'Escape': editor.cancelPolyline(); actions.notice(''); break;
    case 'Enter': if (editor.tools.polyline.length) { e.preventDefault(); editor.finishPolyline(); } break;
    // Shift picks a tool's erasing twin.
    case 'b': editor.setTool('brush'); break;
    case 'e': editor.setTool('eraser'); break;
    case 'l': editor.setTool(e.shiftKey ? 'polyline-erase' : 'polyline'); break;
    case 'a': editor.setTool(e.shiftKey ? 'lasso-erase' : 'lasso'); break;
    case 'd': editor.setTool('component'); break;
    case 'g': if (!$('tool-hint').hidden) editor.setTool('hint'); break;
    case 'v': actions.nextLook(); break;
    case 'o': actions.nextOverlay(); break;
    case '0': actions.resetLook(); break;
    case '[': editor.setBrushSize(editor.brushSize - (editor.brushSize > 10 ? 2 : 1)); break;
    case ']': editor.setBrushSize(editor.brushSize + (editor.brushSize >= 10 ? 2 : 1)); break;
    case 't': actions.setShowMask(!editor.showMask); break;
    case 'h': actions.setShowHeat(!editor.showHeat); break;
    case 'f': editor.fit(); break;
    case '+': case '=': editor.zoomAt(editor.canvas.clientWidth / 2, editor.canvas.clientHeight / 2, 1.25); break;
    case '-': editor.zoomAt(editor.canvas.clientWidth / 2, editor.canvas.clientHeight / 2, 0.8); break;
    case 'n': e.preventDefault(); actions.save({ next: true }); break;
    default: break;
  }
}

function onKeyUp(e, editor) {
  if (e.key === ' ') { e.preventDefault(); editor.setSpace(false); }
}
