// Form fields with a label and a place for the core's validation message, and the routing
// of an error to that place (or to a banner when it names no field shown here). Every form
// is `novalidate`: `required` and `minlength` stay for screen readers, but the messages the
// user sees are the core's, beside the field, not the webview's own bubbles.
import { AppError } from "./api";
import { h, type Attrs } from "./dom";

/** A form control the helpers below can label. */
export type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** The message element for `field`, hidden until the core complains about that field. */
export function fieldError(field: string, id: string): HTMLParagraphElement {
  return h("p", { class: "field-error", "data-field": field, id, hidden: true });
}

/**
 * A label, the control and its error slot. `field` is the core's name for the value
 * (amount, categoryId, …): an error naming it lands beside this control.
 */
export function field(
  label: string,
  control: Control,
  errorField: string | null,
  attrs: Attrs = {},
  hint?: string,
): HTMLDivElement {
  const describedBy: string[] = [];
  let hintElement: HTMLElement | null = null;
  if (hint !== undefined) {
    hintElement = h("p", { class: "field-hint", id: `${control.id}-hint` }, hint);
    describedBy.push(hintElement.id);
  }
  let error: HTMLElement | null = null;
  if (errorField !== null) {
    error = fieldError(errorField, `${control.id}-error`);
    describedBy.push(error.id);
  }
  if (describedBy.length > 0) {
    control.setAttribute("aria-describedby", describedBy.join(" "));
  }
  return h(
    "div",
    { class: "field", ...attrs },
    h("label", { for: control.id }, label),
    control,
    hintElement,
    error,
  );
}

/** Hides every field error in `scope` and clears the invalid marks. */
export function clearErrors(scope: ParentNode): void {
  for (const error of scope.querySelectorAll<HTMLElement>(".field-error")) {
    error.hidden = true;
    error.textContent = "";
  }
  for (const control of scope.querySelectorAll("[aria-invalid]")) {
    control.removeAttribute("aria-invalid");
  }
}

/** Words for anything that is not an AppError (a bug, a rejected promise of another kind). */
export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}

/**
 * Shows `error` beside the control of its field when `scope` has one, and focuses that
 * control. Returns false (showing nothing) when the error names no field shown in `scope`.
 */
export function showFieldError(scope: ParentNode, error: unknown): boolean {
  if (!(error instanceof AppError) || error.field === null) {
    return false;
  }
  const slot = scope.querySelector<HTMLElement>(
    `.field-error[data-field="${CSS.escape(error.field)}"]`,
  );
  if (slot === null) {
    return false;
  }
  slot.textContent = error.message;
  slot.hidden = false;
  const control = scope.querySelector<HTMLElement>(`[aria-describedby~="${slot.id}"]`);
  if (control !== null) {
    control.setAttribute("aria-invalid", "true");
    control.focus();
  }
  return true;
}

/** Shows `error` beside its field in `scope`, or else as text in `banner`. */
export function showError(scope: ParentNode, error: unknown, banner: HTMLElement): void {
  if (!showFieldError(scope, error)) {
    banner.textContent = messageOf(error);
    banner.hidden = false;
  }
}

/** `<input>` with an id and attributes. */
export function input(id: string, attrs: Attrs = {}): HTMLInputElement {
  return h("input", { id, name: id, ...attrs });
}

/** `<select>` with an id and attributes. */
export function select(id: string, attrs: Attrs = {}): HTMLSelectElement {
  return h("select", { id, name: id, ...attrs });
}

/** A trimmed value, or null when empty (the core treats null as "not given"). */
export function valueOrNull(control: Control): string | null {
  const value = control.value.trim();
  return value === "" ? null : value;
}
