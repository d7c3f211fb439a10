// The toolbar's drop-down menus (<details class="menu">): a choice inside closes the menu, and
// so does a click anywhere else, as a menu does.

export function installMenus() {
  const menus = () => document.querySelectorAll('details.menu[open]');
  for (const menu of document.querySelectorAll('details.menu')) {
    menu.addEventListener('click', (e) => { if (e.target.closest('button')) menu.open = false; });
  }
  document.addEventListener('pointerdown', (e) => {
    for (const menu of menus()) if (!menu.contains(e.target)) menu.open = false;
  });
}
