/** The user local-mode commands act as unless PREFER_USER names another. */
export const LOCAL_USER_EMAIL = 'owner@localhost';
