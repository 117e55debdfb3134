/**
 * A lab's program: one JavaScript file (labs/programs/<lab>.js) that is both what the learner reads and what runs.
 *
 *   // Comments and the shared declarations: var webRtcPeer, pipeline; function onOffer() { … }
 *   // @step camera
 *   webRtcPeer = kurentoUtils.WebRtcPeer.WebRtcPeerSendrecv({ … }, function (error) { … });
 *   // @step offer
 *   …
 *
 * The text before the first `// @step` marker is the `declarations` section. Each section runs as a classic script in
 * the lab's page (an iframe, or the page of an exported app), in order: top-level `var` and `function` declarations
 * become globals of that page, which is how the steps share their variables, as the scripts of Kurento's tutorials do.
 * Before them runs the settings section, generated from the learner's settings and shown with the rest.
 *
 * The comments are English; the Chinese pages show and run the program with its comments translated
 * (labs/framework/comments.ts, from labs/programs/<lab>.zh-Hans.json).
 */
import type { LabParams } from './types';

/** The id of the section before the first step, and of the generated settings section. */
export const DECLARATIONS = 'declarations';
export const SETTINGS = 'settings';

const STEP_MARKER = /^\/\/ @step ([a-z][a-z0-9-]*)\s*$/;

export interface ProgramSection {
  id: string;
  /** The code exactly as it is shown and run (no trailing blank lines). */
  code: string;
  /** 1-based line of the section's first code line in the program file (for error messages about the file). */
  line: number;
}

export interface Program {
  declarations: ProgramSection;
  steps: ProgramSection[];
}

function trimBlankLines(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]?.trim() === '') start += 1;
  while (end > start && lines[end - 1]?.trim() === '') end -= 1;
  return lines.slice(start, end);
}

/** Splits a program file into its declarations and its steps; throws on a step marker given twice. */
export function parseProgram(text: string): Program {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const sections: Array<{ id: string; lines: string[]; line: number }> = [{ id: DECLARATIONS, lines: [], line: 1 }];
  lines.forEach((line, index) => {
    const marker = STEP_MARKER.exec(line);
    if (marker?.[1]) {
      if (sections.some((section) => section.id === marker[1])) throw new Error(`step "${marker[1]}" appears twice in the program`);
      sections.push({ id: marker[1], lines: [], line: index + 2 });
      return;
    }
    sections.at(-1)?.lines.push(line);
  });
  const [declarations, ...steps] = sections.map((section) => {
    const leading = section.lines.findIndex((line) => line.trim() !== '');
    return { id: section.id, code: trimBlankLines(section.lines).join('\n'), line: section.line + Math.max(0, leading) };
  });
  return { declarations: declarations ?? { id: DECLARATIONS, code: '', line: 1 }, steps };
}

/** A JavaScript literal for a settings value (JSON is valid JavaScript for the values settings hold). */
export function literal(value: unknown): string {
  return JSON.stringify(value, null, 0) ?? 'undefined';
}

export interface ProgramSettings {
  /** The KMS URL, as the official tutorials name it. */
  ws_uri: string;
  iceServers: unknown[];
  /** The lab's parameters, by id; each becomes a variable of the same name. */
  params: LabParams;
  /** Further values the lab names, e.g. the recordings folder or the site's origin. */
  extra?: Record<string, unknown>;
}

/**
 * The settings section: the learner's settings and the lab's parameters as real variables, shown before the
 * declarations and run before them. Changing a setting changes this text, so what is shown is always what runs.
 */
export function settingsCode(settings: ProgramSettings, comments: { settings: string; params: string }): string {
  const lines = [`// ${comments.settings}`, `var ws_uri = ${literal(settings.ws_uri)};`, `var iceServers = ${literal(settings.iceServers)};`];
  const extra = Object.entries(settings.extra ?? {});
  for (const [name, value] of extra) lines.push(`var ${name} = ${literal(value)};`);
  const params = Object.entries(settings.params);
  if (params.length > 0) {
    lines.push(`// ${comments.params}`);
    for (const [name, value] of params) lines.push(`var ${name} = ${literal(value)};`);
  }
  return lines.join('\n');
}

/**
 * The global names a program declares or assigns at the top level of its sections: `var a, b = 1`, `function f`,
 * and plain assignments `a = …` at the start of a line. The lab reads them to name the objects it shows (the
 * WebRtcEndpoint held in `webRtcEp` is shown as webRtcEp). A name in a string or a comment may be listed too; it is
 * harmless, since only names that hold media objects are used.
 */
export function declaredNames(code: string): string[] {
  const names = new Set<string>();
  const withoutComments = code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  for (const match of withoutComments.matchAll(/\bvar\s+([^;]+)/g)) {
    for (const part of (match[1] ?? '').split(',')) {
      const name = /^\s*([A-Za-z_$][\w$]*)/.exec(part)?.[1];
      if (name) names.add(name);
    }
  }
  for (const match of withoutComments.matchAll(/\bfunction\s+([A-Za-z_$][\w$]*)/g)) if (match[1]) names.add(match[1]);
  for (const match of withoutComments.matchAll(/^\s*([A-Za-z_$][\w$]*)\s*=[^=]/gm)) if (match[1]) names.add(match[1]);
  return [...names];
}

/** The file name of a section in an exported app and in error messages (`steps/03-client.js`). */
export function sectionFile(program: Program, id: string): string {
  if (id === SETTINGS) return 'settings.js';
  if (id === DECLARATIONS) return 'declarations.js';
  const index = program.steps.findIndex((step) => step.id === id);
  return `steps/${String(index + 1).padStart(2, '0')}-${id}.js`;
}
