/**
 * The dataset card (`README.md`) Hugging Face shows for a dataset directory: YAML front matter
 * mapping the split files (the `configs` key of `datasets`), then counts, the mapping and the
 * policies used, and the agreement of the labels. The license is left for the user to choose.
 */
import type { ConvertSummary } from '../convert.ts';
import type { Mapping } from '../mapping/mapping.schema.ts';

const TASK: Record<ConvertSummary['format'], string> = {
  trl: 'TRL preference, conversational (DPOTrainer, RewardTrainer)',
  'trl-string': 'TRL preference, standard (string) form',
  'trl-implicit': 'TRL preference, conversational with implicit prompt',
  kto: 'TRL unpaired preference (KTOTrainer)',
  reward: 'reward-model pairs with margin (RewardTrainer)',
  helpsteer: 'HelpSteer2-style preference strength',
  arena: 'Chatbot Arena battle log',
  prefer: "prefer's lossless comparison records",
};

const fmt = (v: number | null, digits = 3) => (v === null ? 'n/a' : v.toFixed(digits));

export function datasetCard(
  s: ConvertSummary,
  mapping: Mapping,
  source: string,
  mappingNotes: string[],
): string {
  const ext = s.files.some((f) => f.endsWith('.parquet')) ? 'parquet' : 'jsonl';
  const splits = (['train', 'test'] as const).filter((x) => s.records[x] > 0);
  const files = splits
    .map(
      (x) =>
        `  - split: ${x}\n    path: data/${x}${ext === 'parquet' ? '-*' : ''}.${ext === 'parquet' ? 'parquet' : 'jsonl'}`,
    )
    .join('\n');
  const dropped = Object.entries(s.dropped).map(([why, n]) => `| ${why} | ${n} |`);
  return `---
# license: choose one for your data (for example cc-by-4.0) before publishing
tags:
- preference
- rlhf
- prefer
configs:
- config_name: default
  data_files:
${files}
---

# Preference dataset (${s.format})

Converted by \`prefer convert\` from ${source}. Format: ${TASK[s.format]}.

## Counts

| | |
| --- | --- |
| data rows read | ${s.items} |
| comparisons (rows with a consensus) | ${s.comparisons} |
| wins / ties / both bad | ${s.outcomes.win} / ${s.outcomes.tie} / ${s.outcomes.both_bad} |
| train records | ${s.records.train} |
| test records | ${s.records.test} |

Rows left out, by reason:

| reason | rows |
| --- | --- |
${dropped.join('\n') || '| (none) | 0 |'}

## Policies

- labels counted: \`${s.labels}\`; consensus: \`${s.aggregate}\`; ties and both-bad: \`${s.ties}\`
- test split: ${s.test_fraction} of prompts, by a SHA-256 hash of the prompt, so one prompt is never on both sides
- displayed order: recorded for ${s.displayed_order.recorded} labels${s.displayed_order.assumed > 0 ? `; for ${s.displayed_order.assumed} labels none was recorded and the order of \`modelOutputs\` was taken as displayed` : ''}

## Mapping

\`\`\`json
${JSON.stringify(mapping, null, 2)}
\`\`\`
${mappingNotes.length ? `\nInferred: ${mappingNotes.map((n) => `\n- ${n}`).join('')}\n` : ''}
## Agreement

Over the ${s.agreement.items} data rows with two or more counted labels, on the preference question:
percent agreement ${fmt(s.agreement.percent)}, Krippendorff's alpha (nominal) ${fmt(s.agreement.krippendorff_alpha)}.
Run \`prefer stats\` for intervals, per-annotator figures and model ratings.
`;
}
