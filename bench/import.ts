export async function run(_args: string[]): Promise<void> {
  throw new Error('the import benchmark is not written yet');
}
