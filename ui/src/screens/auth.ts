// Sign up and sign in, one form that switches between the two. A first run (nobody has
// signed in here before) opens on sign-up with a welcome line; later runs open on sign-in.
// `body[data-screen]` says which ("sign-up" / "sign-in") for the end-to-end tests.
import { databaseStatus, logIn, signUp, type Session } from "../api";
import { databasePanel } from "../components/database-panel";
import { byId, h, option } from "../dom";
import { currencyCodes, currencyLabel, guessCurrency } from "../format";
import { clearErrors, field, input, select, showError } from "../forms";
import { hasProfile, rememberProfile } from "../preferences";

export type Mode = "sign-up" | "sign-in";

const WORDS: Record<Mode, { title: string; submit: string; question: string; other: string }> = {
  "sign-up": {
    title: "Create your profile",
    submit: "Create profile",
    question: "Already have a profile here?",
    other: "Sign in",
  },
  "sign-in": {
    title: "Sign in",
    submit: "Sign in",
    question: "New to Outlay?",
    other: "Create a profile",
  },
};

/**
 * Shows the sign-in/sign-up form in `root`; calls `signedIn` once either succeeds, with the
 * reason "remember me" failed if it did.
 */
export function showAuth(
  root: HTMLElement,
  signedIn: (session: Session, rememberProblem: string | null) => void,
  startWith: Mode = hasProfile() ? "sign-in" : "sign-up",
): void {
  let mode = startWith;

  const email = input("auth-email", {
    type: "email",
    autocomplete: "username",
    required: true,
    spellcheck: "false",
  });
  const password = input("auth-password", { type: "password", required: true });
  const currency = select("auth-currency");
  const guess = guessCurrency();
  currency.append(
    ...currencyCodes().map((code) => option(code, currencyLabel(code), code === guess)),
  );
  currency.value = guess;
  const currencyField = field(
    "Base currency",
    currency,
    "currency",
    {},
    "Budgets and the dashboard add up in this currency.",
  );
  const passwordField = field("Password", password, "password", {}, "At least 8 characters.");
  const remember = input("auth-remember", { type: "checkbox" });
  const rememberField = h(
    "div",
    { class: "field field--check" },
    remember,
    h("label", { for: remember.id }, "Keep me signed in on this computer"),
  );
  const error = h("p", { id: "auth-error", class: "form-banner", role: "alert", hidden: true });
  const submit = h("button", { type: "submit", class: "primary wide", id: "auth-submit" });
  const title = h("h2", { id: "auth-title" });
  const lead = h(
    "p",
    { class: "auth-lead", id: "auth-lead" },
    "Welcome! Create a profile to start tracking where your money goes. Everything stays on this computer.",
  );
  const question = h("span", {});
  const switcher = h("button", { type: "button", class: "link", id: "auth-switch" });
  const form = h(
    "form",
    { id: "auth-form", "aria-labelledby": title.id, novalidate: true },
    field("E-mail", email, "email"),
    passwordField,
    currencyField,
    rememberField,
    error,
    submit,
  );

  // Where the data is; opened by itself when the saved server cannot be reached.
  const database = h(
    "details",
    { class: "auth-database", id: "auth-database" },
    h("summary", {}, "Where your data is"),
    databasePanel({
      signedIn: false,
      switched: () => {
        showAuth(root, signedIn, "sign-in");
      },
      uploaded: () => undefined,
    }),
  );
  void databaseStatus().then((status) => {
    database.open = status.problem !== null;
  });

  function render(): void {
    const words = WORDS[mode];
    title.textContent = words.title;
    submit.textContent = words.submit;
    question.textContent = `${words.question} `;
    switcher.textContent = words.other;
    lead.hidden = mode !== "sign-up";
    currencyField.hidden = mode !== "sign-up";
    rememberField.hidden = mode !== "sign-in";
    document.body.dataset["screen"] = mode;
    // The hint about length is advice for a new password only.
    const hint = byId("auth-password-hint", HTMLElement, passwordField);
    hint.hidden = mode !== "sign-up";
    password.autocomplete = mode === "sign-up" ? "new-password" : "current-password";
    clearErrors(form);
    error.hidden = true;
  }

  switcher.addEventListener("click", () => {
    mode = mode === "sign-up" ? "sign-in" : "sign-up";
    render();
    email.focus();
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearErrors(form);
    error.hidden = true;
    submit.disabled = true;
    const attempt: Promise<[Session, string | null]> =
      mode === "sign-up"
        ? signUp(email.value, password.value, currency.value).then((session) => [session, null])
        : logIn(email.value, password.value, remember.checked).then((answer) => [
            answer,
            answer.rememberProblem,
          ]);
    attempt
      .then(([session, rememberProblem]) => {
        rememberProfile();
        signedIn(session, rememberProblem);
      })
      .catch((failure: unknown) => {
        showError(form, failure, error);
        submit.disabled = false;
      });
  });

  root.replaceChildren(
    h(
      "div",
      { class: "auth" },
      h(
        "div",
        { class: "auth-card card" },
        h(
          "h1",
          { class: "brand" },
          h("span", { class: "brand__mark", "aria-hidden": "true" }),
          "Outlay",
        ),
        lead,
        title,
        form,
        h("p", { class: "auth-switch-line" }, question, switcher),
        database,
      ),
    ),
  );
  render();
  email.focus();
}
