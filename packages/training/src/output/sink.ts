/**
 * Where converted records go. Sinks write as they receive (nothing is held but the current
 * row group), and only rename their files into place in `finish`, so a failed conversion leaves
 * no file that looks whole.
 */
import type { Split } from './split.ts';

export interface RecordSink {
  write(split: Split, record: Record<string, unknown>): Promise<void>;
  /** The files written (paths relative to the output directory, or the one file). */
  finish(): Promise<string[]>;
  abort(): Promise<void>;
}
