// The quick-add window: type "12.50 lunch yesterday #work @card", see what it reads as,
// Enter saves, Esc closes. The reading is the core's (the same parser as the assistant's).
import { getCurrentWindow } from "@tauri-apps/api/window";
import { AppError, quickAddPreview, quickAddSave, type QuickAddPreview } from "./api";
import { byId, debounce, h, replaceChildren } from "./dom";
import { formatDate, formatMoney } from "./format";
import { messageOf } from "./forms";
import { startTheme } from "./theme";

const text = byId("quick-add-text", HTMLInputElement);
const preview = byId("quick-add-preview", HTMLElement);
const error = byId("quick-add-error", HTMLElement);
const form = byId("quick-add-form", HTMLFormElement);

/** Each preview answers one keystroke; only the newest one may paint. */
let asked = 0;

function chip(label: string, value: string, modifier?: string): HTMLElement {
  const classes =
    modifier === undefined ? "quick-add__chip" : `quick-add__chip quick-add__chip--${modifier}`;
  return h("span", { class: classes, "data-part": label, title: label }, value);
}

function show(reading: QuickAddPreview): void {
  const category = reading.category;
  replaceChildren(
    preview,
    chip("amount", formatMoney(reading.amount), "amount"),
    chip("date", formatDate(reading.date)),
    category === null
      ? chip("category", "No category yet: add a word such as 'coffee'", "missing")
      : chip(
          "category",
          category.parentName === null
            ? category.name
            : `${category.parentName} › ${category.name}`,
        ),
    reading.description === "" ? null : chip("description", reading.description),
    ...reading.tags.map((tag) => chip("tag", `#${tag}`)),
    reading.paymentMethod === null ? null : chip("payment", `@${reading.paymentMethod}`),
  );
  error.hidden = true;
}

function complain(failure: unknown): void {
  replaceChildren(preview);
  const signedOut = failure instanceof AppError && failure.kind === "notSignedIn";
  error.textContent = signedOut ? "Sign in to Outlay first, then try again." : messageOf(failure);
  error.hidden = false;
}

async function read(): Promise<void> {
  const mine = ++asked;
  if (text.value.trim() === "") {
    replaceChildren(preview);
    error.hidden = true;
    return;
  }
  try {
    const reading = await quickAddPreview(text.value);
    if (mine === asked) {
      show(reading);
    }
  } catch (failure: unknown) {
    if (mine === asked) {
      complain(failure);
    }
  }
}

const readSoon = debounce(() => void read(), 120);

text.addEventListener("input", readSoon);

form.addEventListener("submit", (event) => {
  event.preventDefault();
  asked += 1;
  text.disabled = true;
  quickAddSave(text.value, null)
    .then(async () => {
      text.value = "";
      replaceChildren(preview);
      await getCurrentWindow().close();
    })
    .catch(complain)
    .finally(() => {
      text.disabled = false;
      text.focus();
    });
});

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") {
    event.preventDefault();
    void getCurrentWindow().close();
  }
});

startTheme();
text.focus();
document.body.dataset["ready"] = "true";
