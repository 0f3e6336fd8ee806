/**
 * Standard Schema (standardschema.dev) support: any validator that implements the `~standard`
 * interface (zod, valibot, arktype, …) can check a response, a webhook event or a realtime event at
 * run time. The interface is declared here so wirekit has no dependency on any validator.
 */

/** The Standard Schema v1 interface, as much of it as wirekit reads. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  /** The Standard Schema properties; the validator library sets them. */
  readonly '~standard': {
    /** The version of the Standard Schema spec. */
    readonly version: 1
    /** The validator library's name, e.g. `zod`. */
    readonly vendor: string
    /** Checks a value; may be async. */
    readonly validate: (value: unknown) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>
    /** Carries the input and output types for the compiler ({@link InferSchemaOutput} reads it); wirekit never reads it at run time. */
    readonly types?: {
      /** What the schema accepts. */
      readonly input: Input
      /** What it produces. */
      readonly output: Output
    } | undefined
  }
}

/** What a Standard Schema's validate returns. */
export type StandardSchemaResult<Output> =
  | {
      /** The validated value. */
      readonly value: Output
      /** Absent on success. */
      readonly issues?: undefined
    }
  | {
      /** Everything that failed. */
      readonly issues: ReadonlyArray<StandardSchemaIssue>
    }

/** One problem a validator found. */
export interface StandardSchemaIssue {
  /** What the validator said. */
  readonly message: string
  /** Where in the value: keys from the root, each bare or as `{ key }`; absent or empty for the root. */
  readonly path?:
    | ReadonlyArray<
        | PropertyKey
        | {
            /** The key of this step. */
            readonly key: PropertyKey
          }
      >
    | undefined
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
