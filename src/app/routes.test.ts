import { routeFor } from './routes';

test.each([
    [[], { kind: 'area', id: 'overview' }],
    [[''], { kind: 'area', id: 'overview' }],
    [['overview'], { kind: 'area', id: 'overview' }],
    [['overview', 'extra'], { kind: 'area', id: 'overview' }],
    [['gpus'], { kind: 'not-found', path: ['gpus'] }],
])('%j routes to %j', (path, route) => {
    expect(routeFor(path, ['overview'], 'overview')).toEqual(route);
});
