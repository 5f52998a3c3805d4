#!/usr/bin/env pwsh
# Thin wrapper over the dotnet commands in README.md, for PowerShell users.
#   ./build.ps1 build | test | pack | demo
param(
    [ValidateSet('build', 'test', 'pack', 'demo')]
    [string] $Task = 'build'
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

switch ($Task) {
    'build' { dotnet build SynthNotebook.sln --configuration Release }
    'test'  { dotnet test SynthNotebook.sln --configuration Release -m:1 }
    'pack'  { dotnet pack src/SynthNotebook.Interactive --configuration Release --output artifacts }
    'demo'  { dotnet run --project src/SynthNotebook.Demo --configuration Release }
}
exit $LASTEXITCODE
