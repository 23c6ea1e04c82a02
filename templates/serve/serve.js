// ti serve: the only script. The pages work without it (every filter has its button).
// Live: the server says « changement » when a data file changes (server-sent events, /evenements); the
// page then fetches itself again and swaps its content, keeping the reader's scroll position and focus.
(() => {
  "use strict";
  const status = () => document.getElementById("direct");

  function focusPath(element) {
    // how to find the focused element again in the new content: its id, else its name, else its link
    if (!element || element === document.body) return null;
    if (element.id) return "#" + CSS.escape(element.id);
    if (element.name) return `${element.tagName.toLowerCase()}[name="${CSS.escape(element.name)}"]`;
    if (element.getAttribute("href")) return `a[href="${CSS.escape(element.getAttribute("href"))}"]`;
    return null;
  }

  function typing() {
    // a field the reader is changing: its value is not swapped under their fingers (refreshed after)
    const field = document.activeElement;
    if (!field || !field.form) return false;
    if (field.tagName === "SELECT") return [...field.options].some((o) => o.selected !== o.defaultSelected);
    if (field.type === "checkbox") return field.checked !== field.defaultChecked;
    return "defaultValue" in field && field.value !== field.defaultValue;
  }

  let busy = false;
  let waiting = false;
  async function refresh() {
    if (typing()) {
      if (!waiting) {
        waiting = true;
        document.activeElement.addEventListener("blur", () => { waiting = false; refresh(); }, { once: true });
      }
      return;
    }
    if (busy) return;
    busy = true;
    try {
      const answer = await fetch(location.href, { headers: { Accept: "text/html" }, cache: "no-store" });
      const text = await answer.text();
      const fresh = new DOMParser().parseFromString(text, "text/html");
      const main = document.querySelector("main");
      const next = fresh.querySelector("main");
      if (!main || !next || main.innerHTML === next.innerHTML) return;
      const x = window.scrollX, y = window.scrollY;
      const focused = focusPath(document.activeElement);
      main.replaceChildren(...next.childNodes);
      document.title = fresh.title;
      window.scrollTo(x, y);
      if (focused) {
        const again = main.querySelector(focused);
        if (again) again.focus({ preventScroll: true });
      }
      const where = status();
      if (where) where.textContent = where.dataset.updated || "";
      document.documentElement.dataset.version = String(Number(document.documentElement.dataset.version || 0) + 1);
    } catch (error) {
      // the server is gone (Ctrl+C): the page stays as it was
    } finally {
      busy = false;
    }
  }

  if ("EventSource" in window) {
    const events = new EventSource("/evenements");
    events.addEventListener("changement", refresh);
  }
})();
