// Canned answers: texts staff pick for a reply, with {{variables}} filled for the ticket. Only the
// variables below exist; a text naming another is refused when it is saved, so a reply never goes
// out with a "{{nme}}" in it.
export const CANNED_VARIABLES = ['name', 'code', 'agency', 'staff', 'tracking_url'] as const;
export type CannedVariable = (typeof CANNED_VARIABLES)[number];

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

export type TemplateProblem = { error: 'unknown_variable' | 'broken_placeholder'; message: string };

/** Why a text cannot be saved as a canned answer, or null. */
export function templateProblem(field: string, text: string): TemplateProblem | null {
  const known = new Set<string>(CANNED_VARIABLES);
  const unknown = [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((name) => !known.has(name));
  const list = CANNED_VARIABLES.map((v) => `{{${v}}}`).join(', ');
  if (unknown.length > 0) {
    const names = [...new Set(unknown)].map((n) => `{{${n}}}`).join(', ');
    return { error: 'unknown_variable', message: `The ${field} uses ${names}, which is not a variable; the variables are ${list}.` };
  }
  // What is left after the placeholders must not open or close one: "{{name}" or "{ {code}}" is a typo.
  const rest = text.replace(PLACEHOLDER, '');
  if (rest.includes('{{') || rest.includes('}}')) {
    return { error: 'broken_placeholder', message: `The ${field} has an unfinished {{…}}; write a variable as one of ${list}.` };
  }
  return null;
}

/** The text with its variables filled (every variable was checked when it was saved). */
export function fillTemplate(text: string, values: Record<CannedVariable, string>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => (name in values ? values[name as CannedVariable] : whole));
}
