/** Which backend a database URL names; no driver is loaded to tell. */
export const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//i.test(url);
