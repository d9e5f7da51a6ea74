/** The start of the labeler's local day: "today" on the home screen means their day. */
export function startOfToday(now = new Date()): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate());
}
