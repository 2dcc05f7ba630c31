// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
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
