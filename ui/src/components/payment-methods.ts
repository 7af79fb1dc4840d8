// Suggestions for the payment-method fields (the form and the filter). The core keeps the
// method exactly as typed and filters on exact matches, so offering the spellings already in
// use keeps "Card" from becoming "card" and "Card " over time.
import { h, option } from "../dom";

export const PAYMENT_METHODS_LIST = "payment-methods";

const known = new Set(["Card", "Cash", "Bank transfer", "Mobile payment"]);

function datalist(): HTMLDataListElement {
  const existing = document.getElementById(PAYMENT_METHODS_LIST);
  if (existing instanceof HTMLDataListElement) {
    return existing;
  }
  const created = h("datalist", { id: PAYMENT_METHODS_LIST });
  document.body.append(created);
  return created;
}

/** Adds methods seen on expenses to the suggestions. */
export function rememberPaymentMethods(methods: Iterable<string | null>): void {
  let changed = false;
  for (const method of methods) {
    if (method !== null && method !== "" && !known.has(method)) {
      known.add(method);
      changed = true;
    }
  }
  const list = datalist();
  if (changed || list.options.length === 0) {
    list.replaceChildren(...[...known].sort().map((method) => option(method, method)));
  }
}
