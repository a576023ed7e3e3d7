import { ApolloServerPlugin } from '@apollo/server';
import { ASTNode, DocumentNode, FragmentDefinitionNode, GraphQLError, GraphQLSchema, Kind, SelectionSetNode, ValidationRule } from 'graphql';
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
          const complexity = estimateComplexity(schema(), document, request.operationName, request.variables);
          if (complexity > maxComplexity) {
            throw refusal(ErrorCode.LIMIT_EXCEEDED, `This query is too complex (${complexity}; the limit is ${maxComplexity})`, { complexity, maxComplexity });
          }
        },
      };
    },
  };
}

function estimateComplexity(schema: GraphQLSchema, query: DocumentNode, operationName: string | undefined, variables: Record<string, unknown> | undefined): number {
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
