// `schema/approvals.yaml`: breaking changes a team decided to ship, as code. An approval names a
// change id (`<TYPE>:<coordinate>`, as the report prints it), why, who, and until when.
import { z } from 'zod';
import { readYamlFile } from './yaml-file.ts';

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

const approvalSchema = z
  .object({
    id: z.string().regex(/^[\w:.()@/#-]+$/, 'an id is the change id the report prints, e.g. FIELD_REMOVED:Product.name'),
    reason: z.string().trim().min(1, 'say why the change is acceptable'),
    author: z.string().trim().min(1, 'say who approved it'),
    expires: z
      .string()
      .regex(DATE, 'a date (YYYY-MM-DD) or an ISO timestamp')
      .refine((s) => !Number.isNaN(Date.parse(s)), 'not a real date'),
  })
  .strict();

const approvalsFileSchema = z
  .object({ approvals: z.array(approvalSchema).nullable().default([]) })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    (file.approvals ?? []).forEach((a, i) => {
      if (seen.has(a.id)) ctx.addIssue({ code: 'custom', path: ['approvals', i, 'id'], message: `${a.id} is approved twice` });
      seen.add(a.id);
    });
  });

export interface Approval {
  id: string;
  reason: string;
  author: string;
  /** The approval holds until this instant (a date alone means the end of that day, UTC). */
  expiresAt: Date;
  expires: string;
}

export function loadApprovals(file: string): Approval[] {
  const parsed = readYamlFile(file, approvalsFileSchema, { approvals: [] });
  return (parsed.approvals ?? []).map((a) => ({
    ...a,
    expiresAt: new Date(a.expires.length === 10 ? `${a.expires}T23:59:59.999Z` : a.expires),
  }));
}

export type ApprovalStatus = { state: 'none' } | { state: 'valid'; approval: Approval } | { state: 'expired'; approval: Approval };

export function approvalFor(id: string, approvals: Approval[], now: Date): ApprovalStatus {
  const approval = approvals.find((a) => a.id === id);
  if (!approval) return { state: 'none' };
  return approval.expiresAt.getTime() >= now.getTime() ? { state: 'valid', approval } : { state: 'expired', approval };
}
