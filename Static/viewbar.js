// The view controls: the photograph's look (colour, green, contrast-enhanced; brightness,
// contrast, gamma) and the overlay mode (fill, outline, changes). Returns the actions the
// keyboard uses.

import { LOOK_DEFAULTS, LOOK_MODES } from './look.js';
import { OVERLAY_MODES } from './rendering.js';
import { $ } from './ui.js';

const SLIDERS = ['brightness', 'contrast', 'gamma'];

export function installViewbar(editor) {
  const render = () => {
    $('look-mode').value = editor.look.mode;
    $('overlay-mode').value = editor.overlayMode;
    for (const name of SLIDERS) {
      $(`look-${name}`).value = String(editor.look.settings[name]);
      $(`look-${name}-out`).textContent = String(editor.look.settings[name]);
    }
  };
  const setLook = (changes) => { editor.setLook(changes); render(); };
  const setOverlay = (mode) => { editor.setOverlayMode(mode); render(); };

  // A select keeps the focus after a choice and would take the next letter keys as its own.
  $('look-mode').addEventListener('change', (e) => { setLook({ mode: e.target.value }); e.target.blur(); });
  $('overlay-mode').addEventListener('change', (e) => { setOverlay(e.target.value); e.target.blur(); });
  for (const name of SLIDERS) $(`look-${name}`).addEventListener('input', (e) => setLook({ [name]: Number(e.target.value) }));
  $('look-reset').addEventListener('click', () => setLook({ ...LOOK_DEFAULTS }));
  render();

  return {
    nextLook: () => setLook({ mode: following(LOOK_MODES, editor.look.mode) }),
    nextOverlay: () => setOverlay(following(OVERLAY_MODES, editor.overlayMode)),
    resetLook: () => setLook({ ...LOOK_DEFAULTS }),
  };
}

function following(list, item) {
  return list[(list.indexOf(item) + 1) % list.length];
}
