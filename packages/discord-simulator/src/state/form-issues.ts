import type { z } from 'zod';
import type { FormIssue } from '../errors.js';

/** Maps zod's issues onto Discord's form-error codes, so `DiscordAPIError` prints what Discord would. */
export function formIssues(error: z.ZodError): FormIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((key) => (typeof key === 'number' ? key : String(key))),
    code: discordCode(issue),
    message: issue.message,
  }));
}

function discordCode(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_big':
      return 'BASE_TYPE_MAX_LENGTH';
    case 'too_small':
      return 'BASE_TYPE_MIN_LENGTH';
    case 'invalid_type':
      return issue.message.endsWith('received undefined') ? 'BASE_TYPE_REQUIRED' : 'BASE_TYPE_BAD';
    case 'custom': {
      const code = issue.params?.discordCode;
      return typeof code === 'string' ? code : 'BASE_TYPE_BAD';
    }
    default:
      return 'BASE_TYPE_BAD';
  }
}
