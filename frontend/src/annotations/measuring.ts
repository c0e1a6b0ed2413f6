import { backoffDelay, sleep } from "../api/backoff";
import { ApiError } from "../api/client";
import type { MeasurementsAnswer } from "../api/types";

export interface MeasuringOptions {
  getMeasurements: (recordingId: string) => Promise<MeasurementsAnswer>;
  recordingId: string;
  /** Each answer: values to merge, boxes still being measured. */
  onAnswer: (answer: MeasurementsAnswer) => void;
  /** The worker has not finished within `giveUpMs`: the page stops saying "measuring…". */
  onGiveUp: () => void;
  wait?: (ms: number) => Promise<void>;
  clock?: () => number;
  firstMs?: number;
  maxMs?: number;
  giveUpMs?: number;
}

// The worker measures one edited box within about a second; a thousand proposals take longer.
const FIRST_MS = 1000;
const MAX_MS = 10_000;
const GIVE_UP_MS = 5 * 60_000;

/**
 * Reads GET /recordings/{id}/measurements after each save, and again with growing pauses
 * while the server lists boxes it has not measured yet. `start()` again (the next save)
 * begins a fresh round from the shortest pause; `stop()` ends it.
 */
export class MeasurementPoll {
  private round = 0;
  private readonly wait: (ms: number) => Promise<void>;
  private readonly clock: () => number;

  constructor(private readonly options: MeasuringOptions) {
    this.wait = options.wait ?? sleep;
    this.clock = options.clock ?? Date.now;
  }

  start(): Promise<void> {
    return this.run(++this.round);
  }

  stop(): void {
    this.round++;
  }

  private async run(round: number): Promise<void> {
    const { getMeasurements, recordingId, onAnswer, onGiveUp } = this.options;
    const until = this.clock() + (this.options.giveUpMs ?? GIVE_UP_MS);
    for (let attempt = 0; ; attempt++) {
      let answer: MeasurementsAnswer | null = null;
      try {
        answer = await getMeasurements(recordingId);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        // A refusal (a server without measurements, a recording deleted) will not change by asking again.
        if (error.status >= 400 && error.status < 500) return;
      }
      if (round !== this.round) return;
      if (answer) onAnswer(answer);
      if (answer && answer.pending.length === 0) return;
      if (this.clock() >= until) return onGiveUp();
      await this.wait(backoffDelay(attempt, this.options.firstMs ?? FIRST_MS, this.options.maxMs ?? MAX_MS));
      if (round !== this.round) return;
    }
  }
}
