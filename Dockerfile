# syntax=docker/dockerfile:1
# The dockwise command line as an image, built from this repository:
#   docker build -t dockwise . && docker run --rm -v "$PWD:/work" dockwise lint
# dockwise lints this file in its own tests and finds nothing to say.

# node:20.18.1-alpine3.20, pinned by digest so a rebuild cannot change what it builds on.
FROM node:20.18.1-alpine3.20@sha256:b5b9467fe7b33aad47f1ec3f6e0646a658f85f05c18d4243024212a91f3b7554 AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN node scripts/build.mjs

# The bundle needs nothing but Node: no node_modules in the image.
FROM node:20.18.1-alpine3.20@sha256:b5b9467fe7b33aad47f1ec3f6e0646a658f85f05c18d4243024212a91f3b7554
COPY --from=build /src/server/out/cli.js /usr/local/lib/dockwise/cli.js
USER node
WORKDIR /work
ENTRYPOINT ["node", "/usr/local/lib/dockwise/cli.js"]
CMD ["lint"]
