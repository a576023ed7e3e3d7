import { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, GraphQLSchema } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { ErrorCode } from '@quire/core';

/** Refuses operations whose estimated cost exceeds the limit, before any resolver runs. */
export function complexityLimitPlugin(schema: () => GraphQLSchema, maxComplexity: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const complexity = getComplexity({
            schema: schema(),
            operationName: request.operationName,
            query: document,
            variables: request.variables,
            estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
          });
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
