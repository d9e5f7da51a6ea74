/** The built web app's directory (`packages/web/dist`). */
export declare const WEB_DIST: string;
/** Why the build must be made again, or undefined when dist/ is current. */
export declare function staleReason(): string | undefined;
/** Builds the app when needed (vite, a few seconds) and answers its directory. */
export declare function ensureWebBuild(log?: (line: string) => void): Promise<string>;
