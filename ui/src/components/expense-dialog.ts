// The add/edit expense form, in a modal <dialog>: Esc closes it, Enter saves it. Every check
// is the core's; its {field, message} lands beside the field it names.
import {
  addExpense,
  createCategory,
  updateExpense,
  type Expense,
  type ExpenseInput,
  type Id,
} from "../api";
import { categories, categoryById, fillCategorySelect, loadCategories } from "../categories";
import { h, option } from "../dom";
import { currencyCodes, currencyLabel, moneyInputText, today } from "../format";
import { clearErrors, field, input, select, showError, valueOrNull } from "../forms";
import { session } from "../session";
import { PAYMENT_METHODS_LIST, rememberPaymentMethods } from "./payment-methods";

const NEW_CATEGORY = "__new__";
const NO_CATEGORY = "00000000-0000-0000-0000-000000000000";

interface Parts {
  dialog: HTMLDialogElement;
  form: HTMLFormElement;
  title: HTMLHeadingElement;
  amount: HTMLInputElement;
  currency: HTMLSelectElement;
  date: HTMLInputElement;
  category: HTMLSelectElement;
  newCategory: HTMLDivElement;
  newCategoryName: HTMLInputElement;
  newCategoryParent: HTMLSelectElement;
  description: HTMLInputElement;
  payment: HTMLInputElement;
  tags: HTMLInputElement;
  banner: HTMLParagraphElement;
  save: HTMLButtonElement;
}

let parts: Parts | null = null;
let editing: Expense | null = null;
let settle: ((saved: Expense | null) => void) | null = null;
// The category of the last expense saved: the likeliest for the next one, one keystroke less.
let lastCategory: Id | null = null;
// Where focus was before the form opened; it goes back there when the form closes.
let returnFocus: Element | null = null;

/** "food, #Work lunch" → ["food", "#Work", "lunch"]; the core strips '#' and lower-cases. */
export function splitTags(text: string): string[] {
  return text.split(/[\s,]+/).filter((tag) => tag !== "");
}

function build(): Parts {
  const amount = input("expense-amount", {
    type: "text",
    inputmode: "decimal",
    autocomplete: "off",
    required: true,
    placeholder: "0.00",
  });
  const currency = select("expense-currency");
  currency.append(...currencyCodes().map((code) => option(code, currencyLabel(code))));
  const date = input("expense-date", { type: "date", required: true });
  const category = select("expense-category", { required: true });
  const newCategoryName = input("expense-new-category-name", {
    type: "text",
    maxlength: 60,
    autocomplete: "off",
  });
  const newCategoryParent = select("expense-new-category-parent");
  const createButton = h(
    "button",
    { type: "button", id: "expense-new-category-add" },
    "Create category",
  );
  const cancelNewButton = h("button", { type: "button", class: "quiet" }, "Cancel");
  const newCategory = h(
    "div",
    {
      id: "expense-new-category",
      class: "inline-create",
      role: "group",
      "aria-label": "New category",
      hidden: true,
    },
    field("Name", newCategoryName, "name"),
    field("Inside", newCategoryParent, "parentId"),
    h("div", { class: "inline-create__actions" }, cancelNewButton, createButton),
  );
  const description = input("expense-description", {
    type: "text",
    maxlength: 500,
    autocomplete: "off",
    placeholder: "What was it for?",
  });
  const payment = input("expense-payment", {
    type: "text",
    maxlength: 40,
    list: PAYMENT_METHODS_LIST,
    autocomplete: "off",
    placeholder: "Card, cash…",
  });
  const tags = input("expense-tags", {
    type: "text",
    autocomplete: "off",
    placeholder: "work travel",
  });
  const banner = h("p", { class: "form-banner", id: "expense-error", role: "alert", hidden: true });
  const save = h("button", { type: "submit", class: "primary", id: "expense-save" }, "Save");
  const cancel = h("button", { type: "button", id: "expense-cancel" }, "Cancel");
  const title = h("h2", { id: "expense-dialog-title" }, "New expense");
  const form = h(
    "form",
    { id: "expense-form", novalidate: true },
    title,
    h(
      "div",
      { class: "form-grid" },
      field("Amount", amount, "amount", { class: "field field--amount" }),
      field("Currency", currency, "currency"),
      field("Date", date, "date"),
      field("Category", category, "categoryId"),
      newCategory,
      field("Description", description, "description", { class: "field field--wide" }),
      field("Payment method", payment, "paymentMethod"),
      field("Tags", tags, "tags", {}, "Separate with spaces or commas; # is optional."),
    ),
    banner,
    h("div", { class: "form-actions" }, cancel, save),
  );
  const dialog = h(
    "dialog",
    { id: "expense-dialog", class: "form-dialog", "aria-labelledby": title.id },
    form,
  );
  // First in the body: a modal sits in the top layer wherever it is, and this way a query
  // such as `.field-error[data-field="amount"]` finds the form's slot before any
  // same-named slot of the screen underneath (the filters, the budget form).
  document.body.prepend(dialog);

  const built: Parts = {
    dialog,
    form,
    title,
    amount,
    currency,
    date,
    category,
    newCategory,
    newCategoryName,
    newCategoryParent,
    description,
    payment,
    tags,
    banner,
    save,
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void submit(built);
  });
  cancel.addEventListener("click", () => {
    dialog.close();
  });
  dialog.addEventListener("close", () => {
    // WebKit leaves focus on the closed form's input after Esc, where it would swallow
    // the app's shortcuts; put it back where it was (or on the screen).
    const stuck = document.activeElement;
    if (stuck instanceof HTMLElement && dialog.contains(stuck)) {
      if (
        returnFocus instanceof HTMLElement &&
        returnFocus !== document.body &&
        returnFocus.isConnected
      ) {
        returnFocus.focus({ preventScroll: true });
      } else {
        stuck.blur();
      }
    }
    settle?.(null);
    settle = null;
  });
  category.addEventListener("change", () => {
    if (category.value === NEW_CATEGORY) {
      openNewCategory(built);
    }
  });
  createButton.addEventListener("click", () => {
    void createInline(built);
  });
  // Enter in the inline name creates the category instead of saving the half-filled expense.
  newCategoryName.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      void createInline(built);
    }
  });
  cancelNewButton.addEventListener("click", () => {
    built.newCategory.hidden = true;
    fillCategories(built, lastCategory);
    built.category.focus();
  });
  return built;
}

function fillCategories(p: Parts, selected: Id | null): void {
  fillCategorySelect(
    p.category,
    [option("", "Choose a category…"), option(NEW_CATEGORY, "+ New category…")],
    selected,
  );
  // "+ New category…" reads best at the end of the list.
  const create = p.category.querySelector(`option[value="${NEW_CATEGORY}"]`);
  if (create !== null) {
    p.category.append(create);
  }
  if (selected === null) {
    p.category.value = "";
  }
}

function openNewCategory(p: Parts): void {
  p.newCategoryParent.replaceChildren(
    option("", "Top level"),
    ...categories()
      .filter((category) => category.parentId === null && !category.archived)
      .map((category) => option(category.id, category.name)),
  );
  p.newCategoryName.value = "";
  clearErrors(p.newCategory);
  p.newCategory.hidden = false;
  p.newCategoryName.focus();
}

async function createInline(p: Parts): Promise<void> {
  clearErrors(p.newCategory);
  try {
    const created = await createCategory({
      name: p.newCategoryName.value,
      parentId: valueOrNull(p.newCategoryParent),
      colour: null,
    });
    await loadCategories();
    p.newCategory.hidden = true;
    fillCategories(p, created.id);
    p.category.focus();
  } catch (error: unknown) {
    showError(p.newCategory, error, p.banner);
  }
}

function readInput(p: Parts): ExpenseInput {
  return {
    amount: p.amount.value,
    currency: p.currency.value,
    date: valueOrNull(p.date),
    // The core wants a UUID; with none chosen the nil UUID lets it check the other fields
    // in its own order and answer "Pick a category." beside the select.
    categoryId:
      p.category.value === "" || p.category.value === NEW_CATEGORY ? NO_CATEGORY : p.category.value,
    description: p.description.value,
    paymentMethod: valueOrNull(p.payment),
    tags: splitTags(p.tags.value),
  };
}

async function submit(p: Parts): Promise<void> {
  clearErrors(p.form);
  p.banner.hidden = true;
  const values = readInput(p);
  p.save.disabled = true;
  try {
    const saved =
      editing === null ? await addExpense(values) : await updateExpense(editing.id, values);
    lastCategory = saved.categoryId;
    rememberPaymentMethods([saved.paymentMethod]);
    const done = settle;
    settle = null;
    p.dialog.close();
    done?.(saved);
  } catch (error: unknown) {
    showError(p.form, error, p.banner);
  } finally {
    p.save.disabled = false;
  }
}

/**
 * Opens the form, empty for a new expense or filled from `expense`; resolves with the saved
 * expense, or null when the user closes it without saving.
 */
export function openExpenseDialog(expense: Expense | null = null): Promise<Expense | null> {
  parts ??= build();
  const p = parts;
  if (p.dialog.open) {
    return Promise.resolve(null);
  }
  editing = expense;
  rememberPaymentMethods([]);
  clearErrors(p.form);
  p.banner.hidden = true;
  p.newCategory.hidden = true;
  p.title.textContent = expense === null ? "New expense" : "Edit expense";
  p.save.textContent = expense === null ? "Add expense" : "Save changes";
  p.amount.value = expense === null ? "" : moneyInputText(expense.amount);
  p.currency.value = expense?.amount.currency ?? session().baseCurrency;
  p.date.value = expense?.date ?? today();
  const usual = lastCategory === null ? undefined : categoryById(lastCategory);
  const preferred = usual !== undefined && !usual.archived ? usual.id : null;
  fillCategories(p, expense?.categoryId ?? preferred);
  p.description.value = expense?.description ?? "";
  p.payment.value = expense?.paymentMethod ?? "";
  p.tags.value = expense?.tags.join(" ") ?? "";
  return new Promise((resolve) => {
    settle = resolve;
    returnFocus = document.activeElement;
    p.dialog.showModal();
    p.amount.focus();
    p.amount.select();
  });
}
