// The signed-in user, held for the screens. The Rust side is the authority (every command
// checks its own session); this copy only saves asking for the e-mail and base currency.
import type { Session } from "./api";

let current: Session | null = null;

export function setSession(session: Session | null): void {
  current = session;
}

/** The signed-in user; only screens behind sign-in call this. */
export function session(): Session {
  if (current === null) {
    throw new Error("No one is signed in");
  }
  return current;
}
