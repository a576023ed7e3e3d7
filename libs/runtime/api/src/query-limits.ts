import { ApolloServerPlugin } from '@apollo/server';
import { DocumentNode, FragmentDefinitionNode, GraphQLError, GraphQLSchema, Kind, SelectionSetNode, ValidationRule } from 'graphql';
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
          // Carried as the original error, so the response's extensions.code is LIMIT_EXCEEDED.
          const limit = new DomainError(ErrorCode.LIMIT_EXCEEDED, `This query is nested too deeply (${depth}; the limit is ${maxDepth})`, { depth, maxDepth });
          context.reportError(new GraphQLError(limit.message, { nodes: [operation], originalError: limit }));
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
            throw new GraphQLError(`This query is too complex (${complexity}; the limit is ${maxComplexity})`, {
              extensions: { code: ErrorCode.LIMIT_EXCEEDED, complexity, maxComplexity, http: { status: 400 } },
            });
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
    // The estimate coerces the variables first; variables of the wrong type or missing are the
    // client's mistake, answered as graphql-js answers them during execution.
    if (error instanceof GraphQLError) {
      throw new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } } });
    }
    throw error;
  }
}
