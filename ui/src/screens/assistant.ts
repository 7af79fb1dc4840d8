// The assistant: questions about the user's own data, answered offline by the core
// ("how much did I spend on food last month?", "add 12 coffee"). A chat, newest at the
// bottom; "add …" answers carry a Save button that goes through quick add.
import { askAssistant, quickAddSave, type AssistantReply } from "../api";
import { h } from "../dom";
import { formatDate, formatMoney } from "../format";
import { messageOf } from "../forms";
import type { AppContext, Screen } from "./screen";

const EXAMPLES = [
  "How much did I spend on food last month?",
  "What's left in my groceries budget?",
  "Biggest expenses this week",
  "Compare March and April",
  "Average daily spend this year",
  "Add 12 coffee",
];

/** What quick add should read for an "add …" question: everything after the first word. */
function lineOf(question: string): string {
  return question.trim().replace(/^\S+\s*/u, "");
}

export function assistantScreen(context: AppContext): Screen {
  let log: HTMLElement | null = null;

  function say(who: "you" | "outlay", ...body: (Node | string | null)[]): HTMLElement {
    const message = h("li", { class: `chat__message chat__message--${who}` }, ...body);
    log?.append(message);
    message.scrollIntoView({ block: "end" });
    return message;
  }

  function answer(question: string, reply: AssistantReply): void {
    const parts: Node[] = [h("p", { class: "chat__text" }, reply.text)];
    if (reply.expenses.length > 0) {
      parts.push(
        h(
          "ol",
          { class: "chat__expenses" },
          ...reply.expenses.map((e) =>
            h(
              "li",
              {},
              h("span", {}, `${formatDate(e.date)} · ${e.description || "—"}`),
              h("strong", {}, formatMoney(e.amount)),
            ),
          ),
        ),
      );
    }
    if (reply.quickAdd !== null && reply.quickAdd.category !== null) {
      const save = h("button", { type: "button", class: "primary chat__confirm" }, "Save it");
      save.addEventListener("click", () => {
        save.disabled = true;
        quickAddSave(lineOf(question), null)
          .then(async (expense) => {
            save.replaceWith(
              h("p", { class: "chat__done" }, `Saved ${formatMoney(expense.amount)}.`),
            );
            await context.refresh();
          })
          .catch((error: unknown) => {
            save.disabled = false;
            say("outlay", h("p", { class: "chat__text chat__text--error" }, messageOf(error)));
          });
      });
      parts.push(save);
    }
    say("outlay", ...parts).dataset["kind"] = reply.kind;
  }

  async function ask(question: string): Promise<void> {
    say("you", h("p", { class: "chat__text" }, question));
    try {
      answer(question, await askAssistant(question));
    } catch (error: unknown) {
      say("outlay", h("p", { class: "chat__text chat__text--error" }, messageOf(error)));
    }
  }

  return {
    mount(root) {
      log = h("ol", { class: "chat__log", id: "assistant-log", "aria-live": "polite" });
      const question = h("input", {
        id: "assistant-question",
        name: "assistant-question",
        autocomplete: "off",
        placeholder: "Ask about your spending, or “add 12 coffee”",
        "aria-label": "Your question",
      });
      const form = h(
        "form",
        { class: "chat__form", id: "assistant-form" },
        question,
        h("button", { type: "submit", class: "primary", id: "assistant-ask" }, "Ask"),
      );
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const text = question.value.trim();
        if (text !== "") {
          question.value = "";
          void ask(text);
        }
      });
      const examples = h(
        "div",
        { class: "chat__examples" },
        ...EXAMPLES.map((example) => {
          const button = h("button", { type: "button", class: "chip" }, example);
          button.addEventListener("click", () => void ask(example));
          return button;
        }),
      );
      root.append(
        h("div", { class: "screen-head" }, h("h1", {}, "Assistant")),
        h(
          "section",
          { class: "card chat" },
          h(
            "p",
            { class: "muted" },
            "Answers come from your own data, on this computer. Try one of these:",
          ),
          examples,
          log,
          form,
        ),
      );
      question.focus();
      return Promise.resolve();
    },
    refresh: () => Promise.resolve(),
    unmount() {
      log = null;
    },
  };
}
