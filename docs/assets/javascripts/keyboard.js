/* The menu drawer and the glossary tooltips from the keyboard alone.
 *
 * Below 76.25em (phones, tablets, and a laptop at 200% zoom: 1280 px is then 640 CSS px) Material
 * draws the menu as a drawer made of hidden checkboxes and their <label>s. A label takes no Tab
 * stop, so the menu button, a section's arrow and the panel's back arrow could not be used from
 * the keyboard, while every link of the closed drawer (and of its hidden panels) still took a Tab
 * stop off screen: focus went out of sight for 30 presses before the page, and in the open
 * drawer a hidden link scrolled the drawer blank. Here:
 *  - those labels work as buttons (Tab, Enter or Space), with a name and aria-expanded: ARIA allows
 *    no role on a <label>, so the role and the Tab stop go on an element inside it (its words, or
 *    its icon), and a click on that still reaches the label;
 *  - what is not on screen is inert: the closed drawer, and the panels under or beside the one shown;
 *  - opening the drawer or a panel moves focus into it; Escape, or Tab past its end, closes it.
 * Also: Escape hides a glossary tooltip that covers the words under it (WCAG 1.4.13), until a term is
 * focused or pointed at again.
 */
(() => {
  "use strict";
  const DRAWER_WIDTHS = window.matchMedia("(max-width: 76.234375em)");
  const drawer = document.getElementById("__drawer");
  const sidebar = document.querySelector(".md-sidebar--primary");
  const menuButton = document.querySelector('.md-header label[for="__drawer"]');
  const DISMISSED = "guide-tooltip--dismissed";

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const tips = document.querySelectorAll(`.md-tooltip2--active:not(.${DISMISSED})`);
    tips.forEach((tip) => tip.classList.add(DISMISSED));
    if (tips.length) event.preventDefault();  // this Escape is spent: the drawer stays open
  });
  // Material may show the same tooltip element again: a term focused or pointed at shows it.
  const showAgain = (event) => {
    if (!event.target.closest || !event.target.closest("abbr, [title], [aria-describedby]")) return;
    document.querySelectorAll(`.${DISMISSED}`).forEach((tip) => tip.classList.remove(DISMISSED));
  };
  document.addEventListener("focusin", showAgain);
  document.addEventListener("pointerover", showAgain);

  // Zensical's search is a dialog opened by a button that its header hides below 60em (phones, and a
  // laptop at 200% zoom), leaving the search icon: a <label>, no Tab stop. Material has a search box
  // there that takes focus; under Zensical search could not be reached by Tab at all. The icon is a
  // button where there is no search box to focus.
  // The element inside a label that takes its role and Tab stop: a section's words, a back arrow's
  // icon, or (for a label holding only an icon) a box made around the icon.
  function controlOf(label) {
    const inside = label.querySelector(":scope > .md-ellipsis, :scope > .md-nav__icon, :scope > .guide-control");
    if (inside) return inside;
    const box = document.createElement("span");
    box.className = "guide-control";
    box.append(...label.childNodes);
    label.append(box);
    return box;
  }

  const searchIcon = document.querySelector('.md-header label.md-header__button[for="__search"]');
  if (searchIcon && !document.querySelector("input.md-search__input")) {
    const control = controlOf(searchIcon);
    control.setAttribute("tabindex", "0");
    control.setAttribute("role", "button");
    control.setAttribute("aria-label", "Search");
    control.setAttribute("aria-haspopup", "dialog");
    control.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" && event.key !== " ") return;
      event.preventDefault();
      event.stopPropagation();
      searchIcon.click();
    });
  }

  if (!drawer || !sidebar || !menuButton) return;

  // The labels that act as buttons in the drawer: the menu button, each section's and the current
  // page's arrow (label.md-nav__link), and each panel's back arrow (label.md-nav__title; the top
  // panel's holds the logo link, and Escape closes the drawer instead).
  const panelButtons = [...sidebar.querySelectorAll('label.md-nav__link[for], label.md-nav__title[for]:not([for="__drawer"])')];
  const buttons = [menuButton, ...panelButtons];
  const controls = new Map(buttons.map((label) => [label, controlOf(label)]));
  const menuControl = controls.get(menuButton);
  const inerted = [];

  function nameOf(label) {
    if (label === menuButton) return "Menu";
    if (!label.classList.contains("md-nav__title")) return null;  // its own words: the section's name
    const level = label.closest(".md-nav") && label.closest(".md-nav").getAttribute("data-md-level");
    // The first level's back arrow shows "All chapters" (guide.css); deeper ones show their title.
    return level === "1" ? "All chapters" : `${label.textContent.trim()}, back`;
  }

  function setButtons(on) {
    for (const [label, control] of controls) {
      if (on) {
        control.setAttribute("tabindex", "0");
        control.setAttribute("role", "button");
        const name = nameOf(label);
        if (name) control.setAttribute("aria-label", name);
        if (!label.classList.contains("md-nav__title")) {
          const toggle = document.getElementById(label.htmlFor);
          control.setAttribute("aria-expanded", String(Boolean(toggle && toggle.checked)));
        }
      } else {
        for (const name of ["tabindex", "role", "aria-label", "aria-expanded"]) control.removeAttribute(name);
      }
    }
  }

  // The panel on screen: the deepest open one (its toggle checked), from the top panel down.
  function currentPanel() {
    let panel = sidebar.querySelector(".md-nav--primary");
    for (;;) {
      const open = [...panel.querySelectorAll(":scope > .md-nav__list > .md-nav__item > .md-nav__toggle")]
        .find((toggle) => toggle.checked && toggle.parentElement.querySelector(":scope > .md-nav"));
      if (!open) return panel;
      panel = open.parentElement.querySelector(":scope > .md-nav");
    }
  }

  function makeInert(element) {
    // Never the hidden checkboxes themselves: a label must still work them.
    if (element.tagName === "INPUT" || element.inert) return;
    element.inert = true;
    inerted.push(element);
  }

  function update() {
    for (const element of inerted.splice(0)) element.inert = false;
    const narrow = DRAWER_WIDTHS.matches;
    setButtons(narrow);
    if (!narrow) return;
    if (!drawer.checked) {
      makeInert(sidebar);
      return;
    }
    const panel = currentPanel();
    // The closed panels inside the one shown, and everything the shown panel lies over.
    for (const nested of panel.querySelectorAll(":scope > .md-nav__list > .md-nav__item > .md-nav")) makeInert(nested);
    for (let node = panel; node !== sidebar && node.parentElement; node = node.parentElement) {
      for (const other of node.parentElement.children) if (other !== node) makeInert(other);
    }
  }

  // The first control of a panel the reader can reach (its back arrow, or its first link).
  function focusInto(panel) {
    const first = [...panel.querySelectorAll('a[href], .md-nav__link > [role="button"], .md-nav__title > [role="button"]')]
      .find((element) => !element.closest("[inert]") && element.getClientRects().length > 0);
    // No scrolling: the panel is still sliding in, and scrolling to it would push the drawer sideways.
    if (first) first.focus({ preventScroll: true });
  }

  function press(label) {
    const section = label.classList.contains("md-nav__title")
      ? sidebar.querySelector(`label.md-nav__link[for="${label.htmlFor}"]`) : null;
    const backTo = section && controls.get(section);
    label.click();  // works the checkbox; its change event runs update()
    if (label === menuButton) {
      if (drawer.checked) focusInto(currentPanel());
    } else if (backTo) {
      backTo.focus({ preventScroll: true });
    } else {
      focusInto(currentPanel());
    }
  }

  function closeDrawer(focusMenuButton) {
    if (!drawer.checked) return;
    drawer.click();
    if (focusMenuButton) menuControl.focus();
  }

  for (const [label, control] of controls) {
    control.addEventListener("keydown", (event) => {
      if (!DRAWER_WIDTHS.matches || (event.key !== "Enter" && event.key !== " ")) return;
      // Material clicks a focused label on Enter from the window: that would click the control
      // focus has just moved to as well.
      event.preventDefault();
      event.stopPropagation();
      press(label);
    });
  }

  document.addEventListener("change", (event) => {
    if (event.target === drawer || sidebar.contains(event.target)) update();
  });
  DRAWER_WIDTHS.addEventListener("change", update);

  // Tab (or Shift+Tab) out of the open drawer closes it; a click elsewhere already does.
  sidebar.addEventListener("focusout", (event) => {
    const to = event.relatedTarget;
    if (DRAWER_WIDTHS.matches && to && !sidebar.contains(to) && to !== menuControl) closeDrawer(false);
  });

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !event.defaultPrevented && DRAWER_WIDTHS.matches && drawer.checked) closeDrawer(true);
  });

  update();
})();
