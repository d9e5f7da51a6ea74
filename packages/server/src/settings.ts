/**
 * `@prefer/server/settings`: the configuration, error types and constants of the server without
 * its database drivers, HTTP stack or services, so a command line can parse its options and
 * report failures without loading the server (`prefer --help` and remote mode never do).
 */

export { DEFAULT_PASSWORD_COST, PASSWORD_COST_ENV, passwordCost } from './accounts/password.ts';
export {
  CONFIG_DEFAULTS,
  CONFIG_ENV,
  type Config,
  type ConfigInput,
  loadConfig,
  redact,
  storeOptionsOf,
  streamLimitsOf,
} from './config.ts';
export { PUBLIC_URL_ENV, parsePublicUrl } from './graphql/public-url.ts';
export { LOCAL_USER_EMAIL } from './orgs/local-user.ts';
export { AppError, type ErrorCode, type Fault, formatFault, HTTP_STATUS } from './shared/errors.ts';
