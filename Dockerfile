# syntax=docker/dockerfile:1
# The dockwise command line as an image, built from this repository:
#   docker build -t dockwise . && docker run --rm -v "$PWD:/work" dockwise lint
# dockwise lints this file in its own tests and finds nothing to say.

# node:24.20.0-alpine3.23 (Node.js 24 LTS on Alpine 3.23), pinned to the tag's multi-platform index
# digest so a rebuild cannot change what it builds on; the tag stays for people and for Renovate.
FROM node:24.20.0-alpine3.23@sha256:0388af2af070cd4736a1567cfed02469ba117848845b4165d87a333edb53d2ca AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN node scripts/build.mjs

# The bundle needs nothing but Node: no node_modules in the image.
FROM node:24.20.0-alpine3.23@sha256:0388af2af070cd4736a1567cfed02469ba117848845b4165d87a333edb53d2ca
COPY --from=build /src/server/out/cli.js /usr/local/lib/dockwise/cli.js
USER node
WORKDIR /work
ENTRYPOINT ["node", "/usr/local/lib/dockwise/cli.js"]
CMD ["lint"]
