// `schema/checks.yaml`: contracts, usage policy and lint policy of `npm run schema:check`, in one
// file. Every key is optional; the defaults below are the policy when the file says nothing.
import { z } from 'zod';
import { readYamlFile } from './yaml-file.ts';

/** Naming and deprecation rules the check can run (schema/src/lint.ts). */
export const LINT_RULES = [
  'deprecations-have-a-reason',
  'fields-are-camel-cased',
  'types-are-capitalized',
  'enum-values-all-caps',
  'input-object-values-are-camel-cased',
] as const;
export type LintRuleName = (typeof LINT_RULES)[number];

const tagName = z.string().min(1);

const contractSchema = z
  .object({
    /** Keep only object/interface fields tagged with one of these (or whose type is). Empty: keep all. */
    include: z.array(tagName).default([]),
    /** Drop every element tagged with one of these. */
    exclude: z.array(tagName).default([]),
    /** Client apps (folder names under clients/) that use this contract: its usage data. */
    clients: z.array(z.string().min(1)).default([]),
  })
  .strict();

export const checksConfigSchema = z
  .object({
    contracts: z.record(z.string().regex(/^[\w-]+$/, 'a contract name is letters, digits, _ and -'), contractSchema).prefault({ public: { include: ['public'] } }),
    policy: z
      .object({
        /**
         * Enum values and union members added to an existing type: Inspector calls them DANGEROUS
         * (a client with an exhaustive switch meets an unknown case), Apollo calls them safe.
         * Neither blocks; the level decides how the report shows them.
         */
        additions: z.enum(['dangerous', 'safe']).default('dangerous'),
        /** Usage-log entries last seen longer ago than this do not count as usage. */
        usageWindowDays: z.number().int().positive().default(30),
        /** A BREAKING change that no known operation touches: reported only (`allow`) or blocking. */
        unusedBreakingChanges: z.enum(['allow', 'block']).default('allow'),
      })
      .strict()
      .prefault({}),
    lint: z
      .object({
        rules: z.array(z.enum(LINT_RULES)).default([...LINT_RULES]),
        /** A deprecated field, argument, input field or enum value may be removed this many days after it was first published as deprecated. */
        deprecationGraceDays: z.number().int().min(0).default(30),
        /** Also refuse removing what was never deprecated (otherwise usage alone decides). */
        requireDeprecationBeforeRemoval: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type ChecksConfig = z.infer<typeof checksConfigSchema>;
export type ContractConfig = ChecksConfig['contracts'][string];

export function loadChecksConfig(file: string): ChecksConfig {
  return readYamlFile(file, checksConfigSchema, {});
}
