// Small progressive enhancements; every page works without them.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", () => {
  // The main menu folds behind a button on narrow screens (CSS decides when).
  const toggle = document.querySelector(".navtoggle");
  const nav = document.getElementById("mainnav");
  if (toggle && nav) {
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
      const open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  // A table wider than its box scrolls inside it; keyboard users can focus it to scroll.
  document.querySelectorAll("table.grid, .table-card, .table-scroll").forEach((t) => {
    if (t.scrollWidth > t.clientWidth + 1) t.setAttribute("tabindex", "0");
  });
  // Filters that apply as soon as a choice is made.
  document.querySelectorAll("[data-autosubmit]").forEach((el) => {
    el.addEventListener("change", () => el.form && el.form.submit());
  });
  // Confirmation before consequential actions.
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (ev) => {
      if (!window.confirm(el.dataset.confirm)) ev.preventDefault();
    });
  });
  // Pages that watch a background job reload themselves until it ends.
  const poll = document.querySelector("[data-poll]");
  if (poll) {
    setTimeout(() => window.location.reload(), Number(poll.dataset.poll || 2000));
  }
});
