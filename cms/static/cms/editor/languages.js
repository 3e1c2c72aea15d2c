/*
 * Editing in every language, in the admin's edit forms (pages, snippets, settings).
 *
 * The fields of each language (modeltranslation labels them "Title [ta]") can be shown or hidden
 * with one button per language; shown together on a wide screen they stand side by side, one
 * column per language. The choice is the editor's own, kept in Wagtail's per-user store of admin
 * choices (UserProfile.dismissibles, the store of Wagtail's own dismissed banners), so it follows
 * the editor from computer to computer and never passes to a colleague on a shared one.
 *
 * This replaces wagtail-modeltranslation's picker (WAGTAILMODELTRANSLATION_LOCALE_PICKER = False),
 * which filed every panel under the first "[xx]" anywhere in its text (a panel holding an image
 * and its alt text in each language went with the first language, the other's alt text with it),
 * missed inline forms added later, and forgot the choice on every page load.
 */
(() => {
  const config = JSON.parse(document.getElementById('clinic-editor-languages').textContent);
  const form = document.querySelector('form[data-edit-form]');
  if (!form) return;

  const codes = config.languages.map((language) => language.code);
  // "Hero image alternative text [ta]", possibly followed by the required mark.
  const LABEL_LANGUAGE = new RegExp(`\\s\\[(${codes.map((code) => code.replace(/[^\w-]/g, '')).join('|')})\\]\\s*\\*?\\s*$`);
  const HIDDEN = 'clinic-language-hidden';
  const wagtailConfig = JSON.parse(document.getElementById('wagtail-config')?.textContent || '{}');
  const preferencesUrl = wagtailConfig.ADMIN_URLS?.DISMISSIBLES;

  let shown = new Set(codes);
  let chosenHere = false; // a click before the saved choice arrives wins over it

  /* The language of a panel's own field: its own heading or label, not those of panels inside it. */
  function ownLanguage(element) {
    const label = element.matches('section')
      ? element.querySelector(':scope > .w-panel__header [data-panel-heading-text]')
      : element.querySelector(':scope > label.w-field__label, :scope > .w-panel__header [data-panel-heading-text]');
    const match = label && LABEL_LANGUAGE.exec(label.textContent);
    return match ? match[1] : null;
  }

  /* `root` and the elements inside it that match `selector`. */
  function within(root, selector) {
    return [...(root.matches(selector) ? [root] : []), ...root.querySelectorAll(selector)];
  }

  function mark(root) {
    within(root, 'section.w-panel, div.w-panel__wrapper').forEach((element) => {
      if (element.dataset.clinicLanguage) return;
      const code = ownLanguage(element);
      if (!code) return;
      element.dataset.clinicLanguage = code;
      element.style.setProperty('--clinic-column', `var(--clinic-column-${code})`);
      // A row of fields (FieldRowPanel) has its languages side by side already.
      if (!element.parentElement.matches('.w-field-row')) element.parentElement.classList.add('clinic-language-columns');
      element.classList.toggle(HIDDEN, !shown.has(code));
    });
    within(root, '.translation-field-copy-wrapper').forEach(removeMisplacedCopy);
  }

  /*
   * wagtail-modeltranslation puts "Copy content from" on every nested panel, the Authors chooser
   * too, whose copy can only fail: keep it on translated fields' panels only.
   */
  function removeMisplacedCopy(wrapper) {
    if (!wrapper.closest('[data-clinic-language]')) wrapper.remove();
  }

  function apply() {
    form.querySelectorAll('[data-clinic-language]').forEach((element) => {
      element.classList.toggle(HIDDEN, !shown.has(element.dataset.clinicLanguage));
    });
    const columns = codes.filter((code) => shown.has(code));
    columns.forEach((code, index) => form.style.setProperty(`--clinic-column-${code}`, `${index + 1}`));
    form.style.setProperty('--clinic-columns', `${columns.length}`);
    form.classList.toggle('clinic-languages-side-by-side', columns.length > 1);
    picker.querySelectorAll('button[data-language]').forEach((button) => {
      const pressed = shown.has(button.dataset.language);
      button.setAttribute('aria-pressed', pressed ? 'true' : 'false');
      button.classList.toggle('button-secondary', !pressed);
    });
  }

  /* Languages whose fields hold an error are shown, whatever the choice: an error is never hidden. */
  function revealErrors() {
    form.querySelectorAll('[data-clinic-language]').forEach((element) => {
      if (element.querySelector('.error-message:not([hidden]), .help-critical:not([hidden]), [aria-invalid="true"]')) {
        shown.add(element.dataset.clinicLanguage);
      }
    });
  }

  function save() {
    if (!preferencesUrl) return;
    fetch(preferencesUrl, {
      method: 'PATCH',
      headers: { [wagtailConfig.CSRF_HEADER_NAME]: wagtailConfig.CSRF_TOKEN, 'Content-Type': 'application/json' },
      body: JSON.stringify({ [config.preference]: codes.filter((code) => shown.has(code)) }),
      mode: 'same-origin',
    });
  }

  async function load() {
    try {
      const response = await fetch(preferencesUrl, { mode: 'same-origin', headers: { Accept: 'application/json' } });
      const saved = (await response.json())[config.preference];
      const chosen = Array.isArray(saved) ? saved.filter((code) => codes.includes(code)) : [];
      if (chosen.length && !chosenHere) shown = new Set(chosen);
    } catch (error) {
      // No saved choice to be had: every language, as for an editor who never chose.
    }
  }

  const picker = document.createElement('div');
  picker.className = 'clinic-language-picker w-form-width';
  picker.setAttribute('role', 'group');
  picker.setAttribute('aria-label', config.strings.picker);
  const heading = document.createElement('span');
  heading.className = 'clinic-language-picker__label';
  heading.textContent = config.strings.picker;
  picker.append(heading);
  config.languages.forEach(({ code, name }) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button button-small';
    button.dataset.language = code;
    button.textContent = name;
    button.addEventListener('click', () => {
      if (shown.has(code) && shown.size === 1) return; // one language at least
      chosenHere = true;
      if (shown.has(code)) shown.delete(code);
      else shown.add(code);
      apply();
      save();
    });
    picker.append(button);
  });
  (form.querySelector('.tab-content') || form).prepend(picker);

  // "Go to the first error" (and any focus of a field) opens the language the field is in.
  document.addEventListener('w-focus:focus', (event) => {
    const element = event.target.closest?.('[data-clinic-language]');
    if (element && !shown.has(element.dataset.clinicLanguage)) {
      shown.add(element.dataset.clinicLanguage);
      apply();
    }
  });

  // The copy of a StreamField into another language failed: say so, not only in the console.
  window.jQuery?.(document).ajaxError((_event, xhr, settings) => {
    if (!String(settings.url).includes('copy_translation_content')) return;
    const text = xhr.responseJSON?.error || config.strings.copyFailed;
    document.dispatchEvent(new CustomEvent('w-messages:add', { detail: { clear: true, text, type: 'error' } }));
  });

  // Inline forms added later (an opening-hours exception) and copied StreamFields come in marked.
  new MutationObserver((mutations) => {
    mutations.forEach((mutation) => mutation.addedNodes.forEach((node) => node.nodeType === 1 && mark(node)));
  }).observe(form, { childList: true, subtree: true });

  form.classList.add('clinic-languages-loading');
  mark(form);
  apply();
  load().then(() => {
    revealErrors();
    apply();
    form.classList.remove('clinic-languages-loading');
  });
})();
