import { ApolloServerPlugin } from '@apollo/server';
import {
  ASTNode, BREAK, DocumentNode, ExecutionArgs, FragmentDefinitionNode, GraphQLError, GraphQLSchema, isInterfaceType, isObjectType, Kind, parse, SelectionSetNode, specifiedRules, validate,
  ValidationRule, visit,
} from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { DomainError, ErrorCode } from '@quire/core';

/**
 * Refuses operations nested deeper than `maxDepth` levels of fields with selections (introspection
 * fields do not count) as LIMIT_EXCEEDED. Unknown and cyclic fragments count as nothing here:
 * graphql's own validation rules refuse those documents with their own errors.
 */
export function depthLimitRule(maxDepth: number): ValidationRule {
  return (context) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    // Each fragment's depth is computed once, so a document of fragments that spread each other
    // many times costs linear time, not exponential.
    const fragmentDepths = new Map<string, number>();
    const depthOf = (selectionSet: SelectionSetNode): number =>
      Math.max(
        0,
        ...selectionSet.selections.map((selection) => {
          if (selection.kind === Kind.FIELD) {
            return selection.selectionSet && !selection.name.value.startsWith('__') ? 1 + depthOf(selection.selectionSet) : 0;
          }
          if (selection.kind === Kind.INLINE_FRAGMENT) return depthOf(selection.selectionSet);
          const name = selection.name.value;
          const fragment = fragments.get(name);
          if (!fragment || fragmentDepths.has(name)) return fragmentDepths.get(name) ?? 0;
          fragmentDepths.set(name, 0); // while in progress: a cycle back to it counts as nothing
          const depth = depthOf(fragment.selectionSet);
          fragmentDepths.set(name, depth);
          return depth;
        }),
      );
    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation.selectionSet);
        if (depth > maxDepth) {
          context.reportError(refusal(ErrorCode.LIMIT_EXCEEDED, `This query is nested too deeply (${depth}; the limit is ${maxDepth})`, { depth, maxDepth }, operation));
        }
      },
    };
  };
}

/** Refuses operations whose estimated cost exceeds the limit, before any resolver runs. */
export function complexityLimitPlugin(schema: () => GraphQLSchema, maxComplexity: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          requireWithinComplexity(schema(), document, request.operationName, request.variables, maxComplexity);
        },
      };
    },
  };
}

/** The operation graphql-ws hands its onSubscribe hook. */
interface SocketOperation {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/**
 * graphql-ws's onSubscribe hook: operations over the socket (subscriptions, and the mutations a
 * page sends over the socket it holds) meet the limits they meet over HTTP, which graphql-ws
 * alone would not apply (it validates with graphql's own rules and knows no Apollo plugins).
 * Documents are kept parsed and validated by their text, as Apollo keeps them, so an operation
 * sent again (every vote on a ballot) is neither parsed nor validated again. Refusals carry their
 * codes, formatted in the one place errors are.
 */
export function socketOperationLimits(
  schema: () => GraphQLSchema,
  limits: { maxDepth: number; maxComplexity: number },
  format: (error: GraphQLError) => GraphQLError,
): (context: unknown, id: string, operation: SocketOperation) => ExecutionArgs | readonly GraphQLError[] {
  const checkedDocuments = new Map<string, DocumentNode | readonly GraphQLError[]>();
  const check = (query: string): DocumentNode | readonly GraphQLError[] => {
    try {
      const document = parse(query);
      const errors = validate(schema(), document, [...specifiedRules, depthLimitRule(limits.maxDepth)]);
      return errors.length ? errors : document;
    } catch (error) {
      // Only parse throws here: Apollo gives such errors this code over HTTP.
      if (error instanceof GraphQLError) return [new GraphQLError(error.message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
      throw error;
    }
  };
  return (_context, _id, { query, operationName, variables }) => {
    let checked = checkedDocuments.get(query);
    if (!checked) {
      checked = check(query);
      // A bound, not an LRU: clients send a handful of distinct operations.
      if (checkedDocuments.size >= 1000) checkedDocuments.clear();
      checkedDocuments.set(query, checked);
    }
    if (isErrorList(checked)) return checked.map(format);
    try {
      requireWithinComplexity(schema(), checked, operationName ?? undefined, variables ?? undefined, limits.maxComplexity);
    } catch (error) {
      if (error instanceof GraphQLError) return [format(error)];
      throw error;
    }
    return { schema: schema(), document: checked, operationName, variableValues: variables };
  };
}

function isErrorList(checked: DocumentNode | readonly GraphQLError[]): checked is readonly GraphQLError[] {
  return Array.isArray(checked);
}

/** Refuses an operation whose estimated cost exceeds the limit, before any resolver runs. */
function requireWithinComplexity(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown> | undefined, maxComplexity: number): void {
  const complexity = estimateComplexity(schema, document, operationName, variables);
  if (complexity > maxComplexity) {
    throw refusal(ErrorCode.LIMIT_EXCEEDED, `This query is too complex (${complexity}; the limit is ${maxComplexity})`, { complexity, maxComplexity });
  }
}

/**
 * Estimates kept by document and operation where the variables cannot change them. Apollo (and
 * socketOperationLimits) hand over one parsed document per query text, and a page sends the same
 * few operations again and again (every vote the same mutation): estimating walks the document
 * with type information and coerces the variables, about a sixth of a small request's CPU in the
 * api. Only estimates that succeeded are kept; a later request's variables of the wrong type are
 * then refused by GraphQL's own coercion, with the same code.
 */
const keptEstimates = new WeakMap<DocumentNode, Map<string | undefined, number> | null>();

function estimateComplexity(schema: GraphQLSchema, query: DocumentNode, operationName: string | undefined, variables: Record<string, unknown> | undefined): number {
  const known = keptEstimates.get(query)?.get(operationName);
  if (known !== undefined) return known;
  const complexity = estimateFresh(schema, query, operationName, variables);
  // Whether variables can change the estimate is decided once per document (null: they can).
  let kept = keptEstimates.get(query);
  if (kept === undefined) keptEstimates.set(query, (kept = estimateIgnoresVariables(schema, query) ? new Map() : null));
  kept?.set(operationName, complexity);
  return complexity;
}

/**
 * Variables reach the estimate through @skip and @include, and through field arguments handed to
 * a field's own complexity function; the simple estimator counts every field alike.
 */
function estimateIgnoresVariables(schema: GraphQLSchema, query: DocumentNode): boolean {
  let variableInDirective = false;
  visit(query, {
    Directive(directive) {
      visit(directive, { Variable() { variableInDirective = true; return BREAK; } });
      return variableInDirective ? BREAK : false;
    },
  });
  return !variableInDirective && !hasComplexityFunctions(schema);
}

const schemasWithComplexityFunctions = new WeakMap<GraphQLSchema, boolean>();

function hasComplexityFunctions(schema: GraphQLSchema): boolean {
  let found = schemasWithComplexityFunctions.get(schema);
  if (found === undefined) {
    found = Object.values(schema.getTypeMap()).some(
      (type) => (isObjectType(type) || isInterfaceType(type)) && Object.values(type.getFields()).some((field) => typeof field.extensions['complexity'] === 'function'),
    );
    schemasWithComplexityFunctions.set(schema, found);
  }
  return found;
}

function estimateFresh(schema: GraphQLSchema, query: DocumentNode, operationName: string | undefined, variables: Record<string, unknown> | undefined): number {
  try {
    return getComplexity({ schema, operationName, query, variables, estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })] });
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    // The estimate coerces the variables first: a variable of the wrong type, or a missing one, is
    // the client's mistake, as graphql-js reports it. Its only other refusal is a document that
    // expands to too many fields (fragments spread into each other many times): a limit.
    const badVariable = error.nodes?.[0]?.kind === Kind.VARIABLE_DEFINITION;
    throw refusal(badVariable ? ErrorCode.BAD_USER_INPUT : ErrorCode.LIMIT_EXCEEDED, error.message, {}, error.nodes);
  }
}

/** A refusal (400) whose original error is a domain error, so the response carries its code and details. */
function refusal(code: ErrorCode, message: string, details: Record<string, unknown> = {}, nodes?: ASTNode | readonly ASTNode[]): GraphQLError {
  return new GraphQLError(message, { nodes, originalError: new DomainError(code, message, details), extensions: { http: { status: 400 } } });
}
