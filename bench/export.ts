export async function run(_args: string[]): Promise<void> {
  throw new Error('the export benchmark is not written yet');
}
