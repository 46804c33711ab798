/**
 * Logs with a modality column write one row per modality of a trial: consecutive rows of one run and
 * trial number are one trial. The `aggregate` row's status and score are the trial's; without one the
 * trial's score is the mean of its modalities' scores (those that are numbers), and its status the
 * first row's. An error trial has no score.
 */
import type { Trial, TrialStatus } from './model';

/** The modality whose score is the trial's score in logs with a modality column. */
export const AGGREGATE_MODALITY = 'aggregate';

/** What one row of a modality log says about its trial. */
export interface ModalityRow {
  modality: string | undefined;
  run: string | undefined;
  trialText: string | undefined;
  status: TrialStatus | undefined;
  statusWord: string;
  score: number | undefined;
  score2: number | undefined;
  oldScore: number | undefined;
}

/** Sets a key on a record safely, even a key such as `__proto__`. */
function setOwn(record: Record<string, number | undefined>, key: string, value: number | undefined): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

const isAggregate = (modality: string) => modality.toLowerCase() === AGGREGATE_MODALITY;

/** The open trial of a modality log and what identifies its rows. */
export class ModalityFold {
  private current: Trial | undefined;
  private runText: string | undefined;
  private trialText: string | undefined;
  private aggregated = false;

  /** Folds a further row of the open trial into it; false when the row starts a trial of its own. */
  foldIn(row: ModalityRow): boolean {
    const current = this.current;
    const modality = row.modality;
    if (modality === undefined || current?.modalities === undefined || row.run !== this.runText || row.trialText !== this.trialText || Object.hasOwn(current.modalities, modality)) {
      return false;
    }
    setOwn(current.modalities, modality, row.score);
    if (isAggregate(modality)) {
      this.aggregated = true;
      current.status = row.status;
      current.statusWord = row.statusWord;
      current.score = row.score;
      current.score2 = row.score2;
      if (row.oldScore !== undefined) current.oldScore = row.oldScore;
    }
    return true;
  }

  /** Opens `trial` with the row that starts it, closing the one before. */
  open(trial: Trial, row: ModalityRow): void {
    this.close();
    this.current = trial;
    this.runText = row.run;
    this.trialText = row.trialText;
    trial.modalities = {};
    this.aggregated = false;
    if (row.modality !== undefined) {
      setOwn(trial.modalities, row.modality, row.score);
      if (isAggregate(row.modality)) this.aggregated = true;
    }
  }

  /** Gives the open trial its score, unless an aggregate row did. */
  close(): void {
    const current = this.current;
    if (!current || this.aggregated || !current.modalities) return;
    if (current.status === 'error') {
      current.score = undefined;
      return;
    }
    let sum = 0;
    let n = 0;
    for (const v of Object.values(current.modalities)) {
      if (v !== undefined) {
        sum += v;
        n++;
      }
    }
    current.score = n > 0 ? sum / n : undefined;
  }
}
