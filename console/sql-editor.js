// The SQL editor: a textarea (which keeps the browser's own editing, undo and
// accessibility) over a highlighted copy of its text, a completion list
// (ARIA listbox) and one error mark. Ctrl+Enter runs, Ctrl+Space completes.
import { tokenize } from './sql-lexer.js';

let nextId = 0;

export class SqlEditor {
  /**
   * @param {HTMLElement} host where the editor goes
   * @param {{ keywords: () => Set<string>, names: () => {sources: string[], columns: string[], functions: string[]}, onRun: () => void }} options
   */
  constructor(host, options) {
    this.options = options;
    this.error = undefined;
    const id = `editor-${nextId++}`;
    host.classList.add('editor');
    this.highlight = document.createElement('pre');
    this.highlight.className = 'highlight';
    this.highlight.setAttribute('aria-hidden', 'true');
    this.textarea = document.createElement('textarea');
    this.textarea.id = id;
    this.textarea.spellcheck = false;
    this.textarea.setAttribute('aria-label', 'SQL statements (Ctrl+Enter runs them, Ctrl+Space completes a word)');
    this.textarea.setAttribute('aria-autocomplete', 'list');
    this.textarea.setAttribute('aria-controls', `${id}-completions`);
    this.textarea.setAttribute('aria-expanded', 'false');
    this.list = document.createElement('ul');
    this.list.id = `${id}-completions`;
    this.list.className = 'completions';
    this.list.setAttribute('role', 'listbox');
    this.list.setAttribute('aria-label', 'Completions');
    this.list.hidden = true;
    host.append(this.highlight, this.textarea, this.list);
    this.textarea.addEventListener('input', () => {
      this.error = undefined;
      this.render();
      this.complete(false);
    });
    this.textarea.addEventListener('scroll', () => this.syncScroll());
    this.textarea.addEventListener('keydown', (e) => this.onKey(e));
    this.textarea.addEventListener('blur', () => setTimeout(() => this.closeList(), 150));
    this.render();
  }

  get value() {
    return this.textarea.value;
  }

  /** Marks the text from `start` (an offset) to the end of its token, with the message as its title. */
  markError(start, message) {
    this.error = { start, message };
    this.render();
  }

  clearError() {
    this.error = undefined;
    this.render();
  }

  render() {
    const { sources, functions } = this.options.names();
    const keywords = this.options.keywords();
    const sourceSet = new Set(sources.map((s) => s.toUpperCase()));
    const functionSet = new Set(functions.map((f) => f.toUpperCase()));
    const fragment = document.createDocumentFragment();
    const tokens = tokenize(this.textarea.value);
    const errorAt = this.error === undefined ? -1 : Math.min(this.error.start, Math.max(0, this.textarea.value.length - 1));
    for (const token of tokens) {
      let cls = token.type === 'word' ? classOfWord(token.text.toUpperCase(), keywords, sourceSet, functionSet) : token.type;
      const span = document.createElement('span');
      span.className = `tok-${cls}`;
      span.textContent = token.text;
      if (errorAt >= token.start && errorAt < token.start + token.text.length) {
        const mark = document.createElement('mark');
        mark.className = 'error-mark';
        mark.title = this.error.message;
        mark.append(span);
        fragment.append(mark);
      } else fragment.append(span);
    }
    // A last newline needs a character after it to take up its line.
    fragment.append('\n');
    this.highlight.replaceChildren(fragment);
    this.textarea.setAttribute('aria-invalid', String(this.error !== undefined));
    this.syncScroll();
  }

  syncScroll() {
    this.highlight.scrollTop = this.textarea.scrollTop;
    this.highlight.scrollLeft = this.textarea.scrollLeft;
  }

  onKey(e) {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      this.closeList();
      this.options.onRun();
      return;
    }
    if (e.key === ' ' && e.ctrlKey) {
      e.preventDefault();
      this.complete(true);
      return;
    }
    if (this.list.hidden) return;
    const items = [...this.list.children];
    const current = items.findIndex((li) => li.getAttribute('aria-selected') === 'true');
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = (current + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
      this.select(next);
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      this.accept(items[Math.max(0, current)].dataset.word);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      this.closeList();
    }
  }

  /** The word being typed before the caret, and where it starts. */
  wordAtCaret() {
    const caret = this.textarea.selectionStart;
    const before = this.textarea.value.slice(0, caret);
    const word = /[A-Za-z_][A-Za-z0-9_]*$/.exec(before)?.[0] ?? '';
    return { word, start: caret - word.length, caret };
  }

  /** Shows the words that extend the one at the caret (asked: even a lone match, or an empty word). */
  complete(asked) {
    const { word } = this.wordAtCaret();
    if (word === '' && !asked) return this.closeList();
    const { sources, columns, functions } = this.options.names();
    const upper = word.toUpperCase();
    const lower = word !== '' && word === word.toLowerCase();
    const seen = new Set();
    const hits = [];
    for (const candidate of [...sources, ...columns, ...functions, ...[...this.options.keywords()].sort()]) {
      const key = candidate.toUpperCase();
      if (seen.has(key) || !key.startsWith(upper) || (key === upper && !asked)) continue;
      seen.add(key);
      hits.push(lower ? candidate.toLowerCase() : candidate);
      if (hits.length === 12) break;
    }
    if (hits.length === 0) return this.closeList();
    this.list.replaceChildren(...hits.map((hit, i) => {
      const li = document.createElement('li');
      li.id = `${this.list.id}-${i}`;
      li.setAttribute('role', 'option');
      li.dataset.word = hit;
      li.textContent = hit;
      li.addEventListener('mousedown', (e) => {
        e.preventDefault();
        this.accept(hit);
      });
      return li;
    }));
    this.placeList();
    this.list.hidden = false;
    this.textarea.setAttribute('aria-expanded', 'true');
    this.select(0);
  }

  select(index) {
    [...this.list.children].forEach((li, i) => li.setAttribute('aria-selected', String(i === index)));
    this.textarea.setAttribute('aria-activedescendant', `${this.list.id}-${index}`);
  }

  accept(word) {
    const { start, caret } = this.wordAtCaret();
    this.textarea.setRangeText(word, start, caret, 'end');
    this.closeList();
    this.render();
  }

  closeList() {
    this.list.hidden = true;
    this.textarea.setAttribute('aria-expanded', 'false');
    this.textarea.removeAttribute('aria-activedescendant');
  }

  /** Puts the list under the caret: the editor's font is monospaced, so line and column give the place. */
  placeList() {
    const style = getComputedStyle(this.textarea);
    const probe = document.createElement('span');
    probe.textContent = 'M'.repeat(10);
    this.highlight.append(probe);
    const charWidth = probe.getBoundingClientRect().width / 10;
    probe.remove();
    const lines = this.textarea.value.slice(0, this.textarea.selectionStart).split('\n');
    const lineHeight = parseFloat(style.lineHeight) || 18;
    const left = parseFloat(style.paddingLeft) + charWidth * lines.at(-1).length - this.textarea.scrollLeft;
    const top = parseFloat(style.paddingTop) + lineHeight * lines.length - this.textarea.scrollTop;
    this.list.style.left = `${Math.max(0, Math.min(left, this.textarea.clientWidth - 120))}px`;
    this.list.style.top = `${top}px`;
  }
}

function classOfWord(upper, keywords, sources, functions) {
  if (sources.has(upper)) return 'source';
  if (keywords.has(upper)) return 'keyword';
  if (functions.has(upper)) return 'function';
  return 'word';
}
