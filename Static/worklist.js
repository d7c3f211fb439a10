// The list in the left panel: which images it shows (the queue filters and the name search) and
// an order that stays put. Live events refresh what the rows say, but a row never moves under
// the pointer: rows keep their places, new ones join at the end, and the newest order (after a
// promotion, say) is taken only when the person asks for it (↻, a filter, a search).

import * as api from './api.js';
import { enc } from './api.js';

/** The API path for a filter (todo, mine, corrected, flagged, skipped) and a search text. */
export function listPath(filter, search) {
  const q = search ? `&q=${enc(search)}` : '';
  switch (filter) {
    // The to-do list in the queue's order (sent back first, then most uncertain); a search
    // asks the image list, in the order images arrived.
    case 'todo': return search ? `/images?state=todo&limit=1000${q}` : '/queue?limit=500';
    case 'mine': return `/images?by=me&limit=1000${q}`;
    default: return `/images?state=${enc(filter)}&limit=1000${q}`;
  }
}

export async function fetchList(filter, search) {
  const answer = await api.json(listPath(filter, search));
  return { items: answer.items || [], strategy: answer.strategy || null };
}

/**
 * `fresh` in the order of `shown` (the rows on screen), new ones at the end; `reordered` tells
 * whether the server's own order differs, so the page can offer it.
 */
export function keepOrder(shown, fresh) {
  const place = new Map(shown.map((item, index) => [item.id, index]));
  const kept = fresh.filter((item) => place.has(item.id)).sort((a, b) => place.get(a.id) - place.get(b.id));
  const added = fresh.filter((item) => !place.has(item.id));
  const items = kept.concat(added);
  const reordered = items.some((item, index) => item.id !== fresh[index].id);
  return { items, reordered };
}
