import { Type } from '@nestjs/common';
import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { encodeCursor, Page } from './pagination';
import { Locale, ProjectRole } from './actor';

registerEnumType(Locale, { name: 'Locale', description: 'nl (Dutch) or en (English)' });
registerEnumType(ProjectRole, { name: 'ProjectRole', description: 'A role a person holds in one book project' });

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** Relay-style connection type for `classRef` (edges with cursors, nodes, pageInfo, totalCount). */
export function ConnectionType<T>(classRef: Type<T>): Type<Connection<T>> {
  @ObjectType(`${classRef.name}Edge`)
  class EdgeType {
    @Field()
    cursor!: string;

    @Field(() => classRef)
    node!: T;
  }

  @ObjectType({ isAbstract: true })
  abstract class ConnectionClass implements Connection<T> {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => [classRef])
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int)
    totalCount!: number;
  }
  return ConnectionClass as unknown as Type<Connection<T>>;
}

/** Maps a domain page to a connection; each edge's cursor points just after that node. */
export function toConnection<E, T>(page: Page<E>, map: (item: E) => T, cursorOf: (item: E) => (string | number)[]): Connection<T> {
  const edges = page.items.map((item) => ({ cursor: encodeCursor(cursorOf(item)), node: map(item) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    totalCount: page.totalCount,
  };
}

