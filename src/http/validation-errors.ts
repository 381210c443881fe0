import type { FastifySchemaValidationError } from 'fastify';
import type { ValidationErrors } from '#src/errors.js';

/** DRF's wording for a JSON-schema failure, so clients see Label Studio's messages. */
function messageFor(error: FastifySchemaValidationError): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return 'This field is required.';
    case 'maxLength':
      return `Ensure this field has no more than ${String(params.limit)} characters.`;
    case 'minLength':
      return params.limit === 1 ? 'This field may not be blank.' : `Ensure this field has at least ${String(params.limit)} characters.`;
    case 'maximum':
      return `Ensure this value is less than or equal to ${String(params.limit)}.`;
    case 'minimum':
      return `Ensure this value is greater than or equal to ${String(params.limit)}.`;
    case 'format':
      return params.format === 'email' ? 'Enter a valid email address.' : `Enter a valid ${String(params.format)}.`;
    case 'type': {
      if ((error as { data?: unknown }).data === null) return 'This field may not be null.';
      const type = String(params.type);
      if (type.includes('integer')) return 'A valid integer is required.';
      if (type.includes('number')) return 'A valid number is required.';
      if (type.includes('boolean')) return 'Must be a valid boolean.';
      if (type.includes('string')) return 'Not a valid string.';
      if (type.includes('array')) return 'Expected a list of items.';
      if (type.includes('object')) return 'Expected a dictionary of items.';
      return 'Invalid value.';
    }
    case 'enum':
      return 'Not a valid choice.';
    case 'pattern':
      return 'This value does not match the required pattern.';
    default:
      return error.message ?? 'Invalid value.';
  }
}

/** Field name of an error: the missing property for `required`, else the first path segment. */
function fieldOf(error: FastifySchemaValidationError): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required' && typeof params.missingProperty === 'string') {
    return params.missingProperty.replace(/^\./, '');
  }
  const path = error.instancePath.replace(/^\//, '').split('/')[0];
  return path || 'non_field_errors';
}

/**
 * A nullable field is `anyOf [T, null]`: a wrong value fails every branch. Keep the failure of the real type
 * and drop the `anyOf` summary and the "not null" branch, as DRF reports one message.
 */
function withoutUnionNoise(errors: FastifySchemaValidationError[]): FastifySchemaValidationError[] {
  const unionFields = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  return errors.filter(
    (e) =>
      !unionFields.has(e.instancePath) ||
      (e.keyword !== 'anyOf' && !(e.keyword === 'type' && (e.params as Record<string, unknown>).type === 'null')),
  );
}

/** Turns schema errors into DRF's `{field: [messages]}`. */
export function toValidationErrors(errors: FastifySchemaValidationError[]): ValidationErrors {
  const out: Record<string, string[]> = {};
  for (const error of withoutUnionNoise(errors)) {
    const field = fieldOf(error);
    const message = messageFor(error);
    const list = (out[field] ??= []);
    if (!list.includes(message)) list.push(message);
  }
  return out;
}
