import { FakeSocket } from './fakeSocket'

// Stands in for socket.io-client under jsdom: sockets never connect unless a
// test plays the server through them.

export const sockets: FakeSocket[] = []

export function io(): FakeSocket {
  const socket = new FakeSocket()
  sockets.push(socket)
  return socket
}
