// The side panels' widths: a drag handle at each inner edge, the width kept in localStorage so
// the layout a person chose survives a reload. Widths are CSS variables on <main>
// (--left-width, --right-width), which the grid and the handles' positions read; the editor's
// canvas follows its stage's size by itself.

const LIMITS = { min: 160, max: 640 };
const KEY = (side) => `loupe.panel.${side}`;

function apply(main, side, width) {
  const clamped = Math.round(Math.min(LIMITS.max, Math.max(LIMITS.min, width)));
  main.style.setProperty(`--${side}-width`, `${clamped}px`);
  return clamped;
}

export function installPanelResizing(main) {
  for (const handle of main.querySelectorAll('.resizer')) {
    const side = handle.dataset.side;
    const saved = Number(localStorage.getItem(KEY(side)));
    if (saved) apply(main, side, saved);
    handle.addEventListener('pointerdown', (down) => {
      down.preventDefault();
      handle.setPointerCapture(down.pointerId);
      handle.classList.add('dragging');
      const box = main.getBoundingClientRect();
      const move = (e) => {
        const width = side === 'left' ? e.clientX - box.left : box.right - e.clientX;
        localStorage.setItem(KEY(side), String(apply(main, side, width)));
      };
      const up = () => {
        handle.classList.remove('dragging');
        handle.removeEventListener('pointermove', move);
        handle.removeEventListener('pointerup', up);
      };
      handle.addEventListener('pointermove', move);
      handle.addEventListener('pointerup', up);
    });
    // Keyboard: arrows move the edge by 16 px, for those who do not drag.
    handle.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
      e.preventDefault();
      const current = parseFloat(getComputedStyle(main).getPropertyValue(`--${side}-width`)) || 0;
      const grow = (e.key === 'ArrowRight') === (side === 'left') ? 16 : -16;
      localStorage.setItem(KEY(side), String(apply(main, side, current + grow)));
    });
  }
}
