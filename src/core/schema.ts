/**
 * Standard Schema (standardschema.dev) support: any validator that implements the `~standard`
 * interface (zod, valibot, arktype, …) can check a response, a webhook event or a realtime event at
 * run time. The interface is declared here so wirekit has no dependency on any validator.
 */

/** The Standard Schema v1 interface, as much of it as wirekit reads. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1
    readonly vendor: string
    readonly validate: (value: unknown) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>
    readonly types?: { readonly input: Input; readonly output: Output } | undefined
  }
}

/** What a Standard Schema's validate returns. */
export type StandardSchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardSchemaIssue> }

/** One problem a validator found. */
export interface StandardSchemaIssue {
  readonly message: string
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined
}

/** The output type of a Standard Schema. */
export type InferSchemaOutput<Schema extends StandardSchemaV1> = NonNullable<Schema['~standard']['types']>['output']

/** True when `value` looks like a Standard Schema. */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false
  const standard = (value as { '~standard'?: { validate?: unknown } })['~standard']
  return typeof standard === 'object' && standard !== null && typeof standard.validate === 'function'
}

/** Where a validation failed: `items.0.id`, or `(root)`. */
export function formatIssuePath(issue: StandardSchemaIssue): string {
  if (!issue.path || issue.path.length === 0) return '(root)'
  return issue.path.map((segment) => String(typeof segment === 'object' ? segment.key : segment)).join('.')
}

/**
 * Runs a Standard Schema. Resolves to the validated value, or to the issues found.
 *
 * @example
 * const result = await runSchema(NoteSchema, body); if ('issues' in result) …
 */
export async function runSchema<Output>(
  schema: StandardSchemaV1<unknown, Output>,
  value: unknown,
): Promise<{ value: Output } | { issues: ReadonlyArray<StandardSchemaIssue> }> {
  const result = await schema['~standard'].validate(value)
  if (result.issues) return { issues: result.issues }
  return { value: result.value }
}
