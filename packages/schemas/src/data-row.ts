// Filled in by the capability that owns it; see packages/schemas/src/index.ts.
export {};
