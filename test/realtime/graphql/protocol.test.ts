import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { GraphQLSubscriptionError, graphqlTransportWs } from '../../../src/realtime/graphql/protocol.js'
import { wirekitV1 } from '../../../src/realtime/frames.js'

const bearer = (token: string | undefined) => (token === undefined ? undefined : { authorization: `Bearer ${token}` })

describe('graphql-transport-ws close codes', () => {
  const { closeAction } = graphqlTransportWs(bearer)
  it('maps each code of the specification', () => {
    expect(closeAction(4400, 'bad', 0)).toBe('shut down')
    expect(closeAction(4403, 'Forbidden', 0)).toBe('shut down')
    expect(closeAction(4406, 'Subprotocol not acceptable', 0)).toBe('shut down')
    expect(closeAction(4401, 'Unauthorized', 0)).toBe('refresh now')
    expect(closeAction(4401, 'Unauthorized', 2)).toBe('refresh')
    for (const code of [4408, 4409, 4429, 4500, 1006, undefined]) expect(closeAction(code, '', 3), String(code)).toBe(0)
  })
})

describe('graphql-transport-ws frames', () => {
  it('connection_init carries the payload the token maps to', () => {
    expect(graphqlTransportWs(bearer).open('t')).toBe('{"type":"connection_init","payload":{"authorization":"Bearer t"}}')
    expect(graphqlTransportWs(bearer).open(undefined)).toBe('{"type":"connection_init"}')
  })

  it('numbers results per connection, confirms on the first, and restarts the count on the next connection', () => {
    const protocol = graphqlTransportWs(bearer)
    protocol.operations.set('gql1', { payload: { query: 'subscription { n }' } })
    protocol.open(undefined)
    expect(JSON.parse(protocol.encode({ type: 'subscribe', id: 's1', channel: 'gql1' })!)).toEqual({ id: 's1', type: 'subscribe', payload: { query: 'subscription { n }' } })
    const reply = () => {}
    expect(protocol.decode('{"type":"connection_ack"}', reply)).toEqual({ type: 'welcome', heartbeatMs: 0 })
    expect(protocol.decode('{"id":"s1","type":"next","payload":{"data":{"n":1}}}', reply)).toEqual([
      { type: 'subscribed', id: 's1', channel: 'gql1', offset: '0', epoch: 'c1', recovered: false },
      { type: 'event', channel: 'gql1', offset: '1', epoch: 'c1', name: 'next', data: { data: { n: 1 } } },
    ])
    expect(protocol.decode('{"id":"s1","type":"next","payload":{"data":{"n":2}}}', reply)).toMatchObject([{ offset: '2' }])
    protocol.open(undefined)
    protocol.encode({ type: 'subscribe', id: 's2', channel: 'gql1' })
    expect(protocol.decode('{"id":"s2","type":"next","payload":{"data":{"n":1}}}', reply)).toMatchObject([{ type: 'subscribed', epoch: 'c2' }, { offset: '1', epoch: 'c2' }])
    expect(JSON.parse(protocol.encode({ type: 'unsubscribe', id: 'u1', channel: 'gql1' })!)).toEqual({ id: 's2', type: 'complete' })
  })

  it('answers a server ping with a pong, and ends a subscription on error with its GraphQL errors', () => {
    const protocol = graphqlTransportWs(bearer)
    protocol.operations.set('gql1', { payload: { query: 'subscription { n }' } })
    protocol.open(undefined)
    protocol.encode({ type: 'subscribe', id: 's1', channel: 'gql1' })
    const sent: string[] = []
    expect(protocol.decode('{"type":"ping"}', (text) => sent.push(text))).toEqual([])
    expect(sent).toEqual(['{"type":"pong"}'])
    const [frame] = protocol.decode('{"id":"s1","type":"error","payload":[{"message":"no"}]}', () => {}) as unknown as [{ error: GraphQLSubscriptionError }]
    expect(frame.error).toBeInstanceOf(GraphQLSubscriptionError)
    expect(frame.error.errors).toEqual([{ message: 'no' }])
    expect(protocol.operations.has('gql1')).toBe(false)
    expect(() => protocol.encode({ type: 'publish', id: 'p', channel: 'x', name: 'n', data: 1 })).toThrow(expect.objectContaining({ code: 'unsupported' }))
  })

  it('never throws on any message, and refuses what is not the protocol', () => {
    const protocol = graphqlTransportWs(bearer)
    protocol.open(undefined)
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.anything()), (data) => {
        protocol.decode(data, () => {})
      }),
    )
    for (const bad of ['nope', '{"type":"what"}', '{"type":"next"}', '7', 'null']) expect(protocol.decode(bad, () => {}), bad).toBeUndefined()
  })
})

describe('wirekit.v1 behind the seam', () => {
  it('is the wire format of docs/protocol.md, unchanged', () => {
    expect(wirekitV1.name).toBe('wirekit.v1')
    expect(wirekitV1.open('t')).toBe('{"type":"auth","token":"t"}')
    expect(wirekitV1.open(undefined)).toBeUndefined()
    expect(wirekitV1.encode({ type: 'subscribe', id: 's1', channel: 'c' })).toBe('{"type":"subscribe","id":"s1","channel":"c"}')
    expect(wirekitV1.decode('{"type":"ack","id":"p1"}', () => {})).toEqual({ type: 'ack', id: 'p1' })
  })
})
