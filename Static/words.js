// Words an expert reads: the model's decisions, claims and uncertainty in plain language, times
// in the browser's local time. No SHA-256 prefixes or sequence numbers here: those stay in the
// image's history (the audit view) and in tooltips.

/** A time of day in local time ("14:32"), or the date too when it is not today. */
export function localTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso || '');
  const today = new Date().toDateString() === d.toDateString();
  return today
    ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** Every ISO 8601 UTC time inside a server's message, in local time. */
export function localTimes(text) {
  return String(text || '').replace(/\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?Z/g, (iso) => localTime(iso));
}

export function claimText(by, expiresAt) {
  return `claimed by ${by}${expiresAt ? ' until ' + localTime(expiresAt) : ''}`;
}

// The uncertainty is the mean binary entropy of the predicted probabilities inside the field of
// view (0: sure of every pixel; ln 2 ≈ 0.69: a coin toss everywhere). On STARE a trained model
// gives about 0.03-0.10; the bounds split that range in three.
const UNCERTAINTY_BOUNDS = [0.05, 0.075];

/** {word, title}: low, medium or high, with what it means and the number in the tooltip. */
export function uncertainty(value) {
  if (value == null) return { word: '—', title: 'not predicted yet' };
  const v = Number(value);
  const word = v < UNCERTAINTY_BOUNDS[0] ? 'low' : v < UNCERTAINTY_BOUNDS[1] ? 'medium' : 'high';
  return {
    word,
    title: `How unsure the model is about this image's vessels: ${word} (${v.toFixed(3)}, the mean entropy of its `
      + `vessel probabilities inside the field of view; below ${UNCERTAINTY_BOUNDS[0]} is low, from ${UNCERTAINTY_BOUNDS[1]} high). `
      + 'The most uncertain images come first: they teach the model most.',
  };
}

const plural = (n, one, many = one + 's') => `${n} ${n === 1 ? one : many}`;
const two = (x) => Number(x).toFixed(2);

/** Why a model was promoted, from ModelPromoted.why. */
export function promotionText(why) {
  const w = String(why || '');
  let m = w.match(/validation Dice ([\d.]+) vs ([\d.]+) for the current model on (\d+) held-back/);
  if (m) {
    return `The new model is now in use: it found vessels at least as accurately as the previous one on the `
      + `${plural(Number(m[3]), 'held-back image')} (${two(m[1])} vs ${two(m[2])}).`;
  }
  m = w.match(/first model: validation Dice ([\d.]+) on (\d+) held-back/);
  if (m) return `The first model is in use: it found vessels with an agreement of ${two(m[1])} on the ${plural(Number(m[2]), 'held-back image')}.`;
  m = w.match(/training Dice ([\d.]+) on (\d+) training image/);
  if (m) {
    return `The new model is in use: it agrees ${two(m[1])} with the ${plural(Number(m[2]), 'corrected image')} it learnt from `
      + '(none are held back for checking yet).';
  }
  m = w.match(/^pinned by (.+)$/);
  if (m) return `${m[1]} pinned a model: it stays in use, and new models wait, until it is unpinned.`;
  m = w.match(/^rolled back by (.+)$/);
  if (m) return `${m[1]} went back to an earlier model.`;
  return 'A new model is in use.';
}

/** Why a model was not used, from ModelRejected. */
export function rejectionText(p) {
  if (p.floor != null) {
    return `The new model was not used: it found too few vessels correctly (${two(p.candidateDice)}, below the lab's minimum ${two(p.floor)}).`;
  }
  if (p.reason && /pinned/.test(p.reason)) return 'The new model was not used: another model is pinned.';
  if (p.currentDice != null) {
    return `The new model was not used because it found vessels less accurately on the held-back images `
      + `(${two(p.candidateDice)} vs ${two(p.currentDice)}).`;
  }
  return 'The new model was not used.';
}

/**
 * A ledger event as a sentence for the messages panel, or null for events an expert need not
 * read there. `kind` is '', 'ok' or 'error'.
 */
export function eventMessage(type, ev) {
  const p = ev.payload || {};
  const by = p.by ? ` by ${p.by}` : '';
  switch (type) {
    case 'ModelPromoted': return { text: promotionText(p.why), kind: 'ok' };
    case 'ModelRejected': return { text: rejectionText(p), kind: '' };
    case 'TrainingStarted': {
      const n = (p.trainingSet || []).length;
      return { text: `A new model is training on ${plural(n, 'corrected image')}.`, kind: '' };
    }
    case 'ModelTrained': return { text: `A new model finished training (${plural(p.epochs, 'pass', 'passes')} over the images); it is being checked.`, kind: '' };
    case 'TrainingFailed': return { text: `Training failed: ${p.reason}`, kind: 'error' };
    case 'TrainingAborted': return { text: 'Training stopped before it finished.', kind: '' };
    case 'TrainingPaused': return { text: `Training paused${by}.`, kind: '' };
    case 'TrainingResumed': return { text: `Training resumed${by}.`, kind: '' };
    case 'TrainingRequested': return { text: `Training requested${by}: it starts when a correction is not yet learnt from.`, kind: '' };
    case 'ModelPinned': return { text: `A model was pinned${by}.`, kind: '' };
    case 'ModelUnpinned': return { text: `The model was unpinned${by}: better models may replace it again.`, kind: '' };
    case 'ImageRejected': case 'CorrectionRejected': return { text: `${p.originalName} was refused: ${p.reason}`, kind: 'error' };
    case 'DaemonStarted': return { text: 'Loupe started.', kind: '' };
    case 'DaemonStopped': return { text: 'Loupe stopped.', kind: '' };
    default: return null;
  }
}
