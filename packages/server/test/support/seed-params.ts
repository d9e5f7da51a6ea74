/** The export parameters of Labelbox's export v2 page (the seed sample), shared by the export tests. */

/** The page's `export_params`, as written there (no embeddings). */
export const SEED_PARAMS = {
  attachments: true,
  metadata_fields: true,
  data_row_details: true,
  project_details: true,
  label_details: true,
  performance_details: true,
};

/** Every param: the page's and embeddings. */
export const ALL_PARAMS = { ...SEED_PARAMS, embeddings: true };

/** The page's `filters`: an activity range that holds every row. */
export const SEED_FILTERS: { last_activity_at: [string, string] } = {
  last_activity_at: ['2000-01-01 00:00:00', '2050-01-01 00:00:00'],
};
