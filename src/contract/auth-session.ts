/** The runner's login state: the current token, how often it logged in, and whether a case is the first to use a fresh token. */
export interface AuthSession {
  /** The current token. */
  token(): string;
  /** Bumped by each login; a case remembers the generation it sent with. */
  generation(): number;
  /** Marks a use of the current token; true for the first use after a login. */
  claimUse(): boolean;
  /** Logs in again after a 401 seen with `seenGeneration`; a later login already done is reused. False when the bound is reached or the login failed. */
  relogin(seenGeneration: number): Promise<boolean>;
  /** Logins done (the first included), re-logins done, and why the last re-login failed. */
  stats(): { logins: number; relogins: number; reloginFailure?: string };
}

/** Starts a session with the first token; `login` fetches a new one (it rejects with a reason). At most `maxRelogins` re-logins per run. */
export function createAuthSession(first: string, login: () => Promise<string>, maxRelogins: number): AuthSession {
  let token = first;
  let generation = 1;
  let uses = 0;
  let relogins = 0;
  let failure: string | undefined;
  let pending: Promise<boolean> | undefined;
  return {
    token: () => token,
    generation: () => generation,
    claimUse: () => uses++ === 0,
    async relogin(seenGeneration) {
      // Another case already logged in again after this one sent: use that token.
      if (seenGeneration < generation) return true;
      if (pending) return pending;
      if (failure !== undefined || relogins >= maxRelogins) return false;
      relogins++;
      pending = login().then(
        (next) => {
          token = next;
          generation++;
          uses = 0;
          return true;
        },
        (error: unknown) => {
          failure = error instanceof Error ? error.message : String(error);
          return false;
        },
      );
      try {
        return await pending;
      } finally {
        pending = undefined;
      }
    },
    stats: () => ({ logins: 1 + relogins - (failure !== undefined ? 1 : 0), relogins, ...(failure !== undefined ? { reloginFailure: failure } : {}) }),
  };
}
