#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Invoke-IcaRestMethod against the fake ICA server: paths, media types, bodies, paging, errors, retries.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester.Helpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Server = Start-FakeIca
    $script:Other = Start-FakeIca   # another host, which must never see a token
    $env:ICAPOWERSHELL_CONFIG_PATH = Join-Path $TestDrive 'rest/profiles.yaml'
    Set-IcaConfig -Profile fake -ServerUrl $Server.Url -ApiKey (ConvertTo-TestSecret $Server.ApiKey)
    $env:ICAV2_PROFILE = 'fake'
    function Get-LastRequest { Invoke-RestMethod "$($Server.Url)/_fake/last" -NoProxy }
}

AfterAll {
    Stop-FakeIca $Server
    Stop-FakeIca $Other
    'ICAPOWERSHELL_CONFIG_PATH', 'ICAV2_PROFILE', 'ICAV2_ICA_NO_RETRY_RATE_LIMITING' | ForEach-Object { Remove-Item "Env:$_" -ErrorAction SilentlyContinue }
}

Describe 'Invoke-IcaRestMethod' {
    BeforeEach {
        Reset-FakeIca $Server
        $env:ICAV2_ICA_NO_RETRY_RATE_LIMITING = $null
        Get-IcaToken -Force | Out-Null   # a fresh token, counted before each test starts
        Reset-FakeIca $Server
    }

    Context 'where it goes and what it sends' {
        It 'answers the same for projects, /api/projects and /ica/rest/api/projects, with the v3 media type' {
            foreach ($path in 'projects', '/api/projects', '/ica/rest/api/projects', "$($Server.Url)/ica/rest/api/projects") {
                (Invoke-IcaRestMethod Get $path).items.Count | Should -Be 10
                (Get-LastRequest).accept | Should -Be 'application/vnd.illumina.v3+json'
            }
            (Get-FakeIcaStats $Server).TokenRequests | Should -Be 0
        }

        It 'takes a lone path as a GET: Invoke-IcaRestMethod projects' {
            (Invoke-IcaRestMethod projects).items.Count | Should -Be 10
            (Get-LastRequest).method | Should -Be 'GET'
            (Invoke-IcaRestMethod -Path projects/p00001).id | Should -Be 'p00001'
        }

        It 'refuses a method that is not one, and a call with no path, naming the parameter' {
            $failure = Get-ErrorIdOf { Invoke-IcaRestMethod Fetch projects }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaInvalidMethod,*'
            $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $failure.TargetObject | Should -Be 'Method'
            $failure = Get-ErrorIdOf { Invoke-IcaRestMethod Post }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaPathRequired,*'
            $failure.TargetObject | Should -Be 'Path'
            $failure.Exception.Message | Should -Match '-Path'
            (Get-FakeIcaStats $Server).ApiRequests | Should -Be 0
        }

        It 'encodes -Query values and escapes path segments' {
            Invoke-IcaRestMethod Get projects -Query @{ search = 'a b&c=d'; userTags = @('t1', 't 2') } | Out-Null
            $path = (Get-LastRequest).path
            $path | Should -Match 'search=a%20b%26c%3Dd'
            $path | Should -Match 'userTags=t1&userTags=t%202'
            { Invoke-IcaRestMethod Get 'projects/a b' } | Should -Throw -ErrorId 'ICA_PROJ_404,*'
            (Get-LastRequest).raw | Should -Be '/ica/rest/api/projects/a%20b'
        }

        It 'uses v4 where ICA declares only v4, and -ApiVersion 3 gets ICA''s ICA_API_004' {
            (Invoke-IcaRestMethod Get dockerImages).items.name | Should -Be 'ubuntu'
            (Get-LastRequest).accept | Should -Be 'application/vnd.illumina.v4+json'
            $failure = Get-ErrorIdOf { Invoke-IcaRestMethod Get dockerImages -ApiVersion 3 }
            $failure.FullyQualifiedErrorId | Should -BeLike 'ICA_API_004,*'
            $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $failure.TargetObject | Should -Be 'GET /api/dockerImages'
        }

        It 'sends a hashtable body as JSON with the declared Content-Type, and writes the 201 answer' {
            $created = Invoke-IcaRestMethod Post projects -Body @{ name = 'from-pester'; shortDescription = 'made by a test' }
            $created.name | Should -Be 'from-pester'
            (Get-LastRequest).contentType | Should -Be 'application/vnd.illumina.v3+json'
        }

        It 'lets -ContentType and -Headers override the media types' {
            Invoke-IcaRestMethod Post projects -Body '{"name":"raw-string"}' -ContentType 'application/json' | Out-Null
            (Get-LastRequest).contentType | Should -Be 'application/json'
            Invoke-IcaRestMethod Get projects -Headers @{ Accept = 'application/vnd.illumina.v3+json, */*' } | Out-Null
            (Get-LastRequest).accept | Should -Be 'application/vnd.illumina.v3+json, */*'
        }

        It 'never sends the token to another host' {
            $failure = Get-ErrorIdOf { Invoke-IcaRestMethod Get "$($Other.Url)/ica/rest/api/projects" }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaForeignHost,*'
            (Get-FakeIcaStats $Other).ApiRequests | Should -Be 0
        }

        It 'writes nothing for 204' {
            Invoke-IcaRestMethod Delete projects/p00002 | Should -BeNullOrEmpty
            { Invoke-IcaRestMethod Get projects/p00002 } | Should -Throw -ErrorId 'ICA_PROJ_404,*'
        }

        It 'streams an octet-stream answer to -OutFile, and without it says to give one' {
            Invoke-FakeIca $Server settings @{ fileBytes = 3145728 } | Out-Null
            $file = Join-Path $TestDrive 'main.nf'
            Invoke-IcaRestMethod Get pipelines/pl1/files/f1/content -OutFile $file
            (Get-Item $file).Length | Should -Be 3145728
            $failure = Get-ErrorIdOf { Invoke-IcaRestMethod Get pipelines/pl1/files/f1/content }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaOutFileRequired,*'
            $failure.Exception.Message | Should -Match '-OutFile'
        }

        It 'shows a long -OutFile download''s progress while it runs, and clears it at the end' {
            # 16 chunks of 64 KB, 100 ms apart: about 1.6 s, so several progress records arrive.
            Invoke-FakeIca $Server settings @{ fileBytes = 1048576; chunkDelayMilliseconds = 100 } | Out-Null
            $file = Join-Path $TestDrive 'slow.bin'
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript({
                        param($manifest, $file)
                        Import-Module $manifest
                        $ProgressPreference = 'Continue'
                        Invoke-IcaRestMethod Get pipelines/pl1/files/f1/content -OutFile $file
                    }).AddArgument($ModuleManifest).AddArgument($file)
                $ps.Invoke()
                $ps.Streams.Error | Should -BeNullOrEmpty
                $progress = @($ps.Streams.Progress | Where-Object Activity -Like 'Invoke-IcaRestMethod -OutFile*')
                $progress.Count | Should -BeGreaterThan 2
                $progress[0].StatusDescription | Should -Match '^[\d,]+ of 1,048,576 bytes$'
                $progress[0].PercentComplete | Should -BeLessThan 100
                $progress[-1].RecordType | Should -Be 'Completed'
                $progress[-1].StatusDescription | Should -Be '1,048,576 of 1,048,576 bytes'
                (Get-Item $file).Length | Should -Be 1048576
            }
            finally { $ps.Dispose() }
        }
    }

    Context 'concurrency and errors' {
        It 'gives the ETag through -ResponseHeadersVariable; PUT with If-Match works once, then 409 ResourceBusy' {
            $project = Invoke-IcaRestMethod Get projects/p00001 -ResponseHeadersVariable answer
            $etag = $answer['ETag'][0]
            $etag | Should -Be '"p00001-v1"'
            $project.shortDescription = 'changed'
            (Invoke-IcaRestMethod Put projects/p00001 -Body $project -Headers @{ 'If-Match' = $etag }).version | Should -Be 2
            $failure = Get-ErrorIdOf { Invoke-IcaRestMethod Put projects/p00001 -Body $project -Headers @{ 'If-Match' = $etag } }
            $failure.FullyQualifiedErrorId | Should -BeLike 'ICA_GEN_409,*'
            $failure.CategoryInfo.Category | Should -Be 'ResourceBusy'
        }

        It 'maps <Status> to <Category> with ICA''s code as the id' -ForEach @(
            @{ Status = 404; Method = 'Get'; Path = 'projects/none'; Body = $null; Id = 'ICA_PROJ_404'; Category = 'ObjectNotFound' }
            @{ Status = 403; Method = 'Get'; Path = 'projects/forbidden'; Body = $null; Id = 'ICA_AUTH_403'; Category = 'PermissionDenied' }
            @{ Status = 422; Method = 'Post'; Path = 'projects'; Body = @{ shortDescription = 'no name' }; Id = 'ICA_VAL_001'; Category = 'InvalidArgument' }
            @{ Status = 409; Method = 'Post'; Path = 'projects'; Body = @{ name = 'project-00001' }; Id = 'ICA_PROJ_409'; Category = 'ResourceExists' }
        ) {
            $failure = Get-ErrorIdOf { Invoke-IcaRestMethod $Method $Path -Body $Body }
            $failure.FullyQualifiedErrorId | Should -BeLike "$Id,*"
            $failure.CategoryInfo.Category | Should -Be $Category
            $failure.TargetObject | Should -BeLike "$($Method.ToUpper()) /api/*"
            $failure.Exception.Message | Should -Match "$Status"
        }

        It 'names the invalid parameters of a validation problem' {
            (Get-ErrorIdOf { Invoke-IcaRestMethod Post projects -Body @{} }).Exception.Message | Should -Match 'name: must not be empty'
        }

        It 'gets a new token once when ICA refuses the old one mid-script' {
            Invoke-FakeIca $Server revoke | Out-Null
            (Invoke-IcaRestMethod Get projects/p00001).id | Should -Be 'p00001'
            (Get-FakeIcaStats $Server).TokenRequests | Should -Be 1
            (Invoke-IcaRestMethod Get projects/p00001).id | Should -Be 'p00001'
            (Get-FakeIcaStats $Server).TokenRequests | Should -Be 1
        }

        It 'gives up after a second 401' {
            Invoke-FakeIca $Server settings @{ refuseAllTokens = $true } | Out-Null
            $failure = Get-ErrorIdOf { Invoke-IcaRestMethod Get projects }
            $failure.FullyQualifiedErrorId | Should -BeLike 'ICA_AUTH_006,*'
            $failure.CategoryInfo.Category | Should -Be 'AuthenticationError'
            (Get-FakeIcaStats $Server).TokenRequests | Should -Be 1
        }

        It 'shares the token with Get-IcaToken: a script mixing both mints once' {
            $token = Get-IcaToken
            Invoke-IcaRestMethod Get projects | Out-Null
            (Get-IcaToken).Source | Should -Be 'Cache'
            $token.Source | Should -Be 'Cache'
            (Get-FakeIcaStats $Server).TokenRequests | Should -Be 0
        }

        It 'leaves -OutFile as it was when the download breaks off, with no temp file behind' {
            $folder = Join-Path $TestDrive 'download'
            New-Item -ItemType Directory -Force $folder | Out-Null
            $file = Join-Path $folder 'main.nf'
            Set-Content -Path $file -Value 'the copy from yesterday' -NoNewline
            # Every attempt breaks: when the reset comes before the headers are read, the GET is
            # retried (nothing was written yet), so one fault alone may end in a whole download.
            Add-FakeIcaFault $Server ResetMidBody, ResetMidBody, ResetMidBody
            $failure = Get-ErrorIdOf { Invoke-IcaRestMethod Get pipelines/pl1/files/f1/content -OutFile $file }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaConnectionFailed,*'
            $failure.CategoryInfo.Category | Should -Be 'ConnectionError'
            Get-Content -Raw $file | Should -Be 'the copy from yesterday'
            (Get-ChildItem -Force $folder).Name | Should -Be 'main.nf'
        }

        It 'retries a GET whose answer breaks off mid-body, never a POST' {
            Add-FakeIcaFault $Server ResetMidBody
            (Invoke-IcaRestMethod projects/p00001).id | Should -Be 'p00001'
            (Get-FakeIcaStats $Server).ApiRequests | Should -Be 2
            Reset-FakeIca $Server
            Add-FakeIcaFault $Server ResetMidBody
            { Invoke-IcaRestMethod Post projects -Body @{ name = 'maybe-made' } } | Should -Throw -ErrorId 'IcaConnectionFailed,*'
            (Get-FakeIcaStats $Server).ApiRequests | Should -Be 1
        }

        It 'retries a 503 for GET, never for POST, and not at all with ICAV2_ICA_NO_RETRY_RATE_LIMITING' {
            Add-FakeIcaFault $Server ServiceUnavailable
            (Invoke-IcaRestMethod Get projects/p00001).id | Should -Be 'p00001'
            (Get-FakeIcaStats $Server).ApiRequests | Should -Be 2
            Reset-FakeIca $Server
            Add-FakeIcaFault $Server ServiceUnavailable
            { Invoke-IcaRestMethod Post projects -Body @{ name = 'once-only' } } | Should -Throw -ErrorId 'IcaServerError,*'
            (Get-FakeIcaStats $Server).ApiRequests | Should -Be 1
            Reset-FakeIca $Server
            $env:ICAV2_ICA_NO_RETRY_RATE_LIMITING = '1'
            Add-FakeIcaFault $Server ServiceUnavailable
            { Invoke-IcaRestMethod Get projects/p00001 } | Should -Throw -ErrorId 'IcaServerError,*'
            (Get-FakeIcaStats $Server).ApiRequests | Should -Be 1
        }

        It 'gives the same error id and category for the same fault from the token endpoint and from an API path (<Fault>)' -ForEach @(
            @{ Fault = 'TooManyRequests'; Id = 'IcaRateLimited'; Category = 'ResourceUnavailable' }
            @{ Fault = 'ServiceUnavailable'; Id = 'IcaServerError'; Category = 'ResourceUnavailable' }
            @{ Fault = 'InternalServerError'; Id = 'IcaServerError'; Category = 'ResourceUnavailable' }
        ) {
            $env:ICAV2_ICA_NO_RETRY_RATE_LIMITING = '1'
            Add-FakeIcaFault $Server $Fault
            $fromToken = Get-ErrorIdOf { Get-IcaToken -Force }
            Add-FakeIcaFault $Server $Fault
            $fromApi = Get-ErrorIdOf { Invoke-IcaRestMethod projects/p00001 }
            foreach ($failure in $fromToken, $fromApi) {
                $failure.FullyQualifiedErrorId | Should -BeLike "$Id,*"
                $failure.CategoryInfo.Category | Should -Be $Category
            }
            (Get-FakeIcaStats $Server).TokenRequests | Should -Be 1
            (Get-FakeIcaStats $Server).ApiRequests | Should -Be 1
        }

        It 'shows method, URL, status and time in -Verbose, never the token' {
            $jwt = Get-IcaToken -AsPlainText
            $verbose = Invoke-IcaRestMethod Get projects -Verbose 4>&1 | Where-Object { $_ -is [Management.Automation.VerboseRecord] } | Out-String
            $verbose | Should -Match ([regex]::Escape("GET $($Server.Url)/ica/rest/api/projects: 200"))
            $verbose | Should -Match ' ms '
            $verbose | Should -Not -Match ([regex]::Escape($jwt.Split('.')[2]))
        }
    }

    Context 'paging' {
        BeforeEach { Invoke-FakeIca $Server settings @{ projectCount = 95 } | Out-Null }

        It 'follows cursor paging with -All and writes every item' {
            $all = Invoke-IcaRestMethod Get projects -All -PageSize 20
            $all.Count | Should -Be 95
            ($all.id | Sort-Object -Unique).Count | Should -Be 95
            (Get-FakeIcaStats $Server).PageRequests | Should -Be 5
            (Get-LastRequest).path | Should -Match 'pageToken='
        }

        It 'uses offset paging when -Query has sort' {
            $all = Invoke-IcaRestMethod Get projects -All -PageSize 30 -Query @{ sort = 'name' }
            $all.Count | Should -Be 95
            (Get-FakeIcaStats $Server).PageRequests | Should -Be 4
            (Get-LastRequest).path | Should -Match 'pageOffset=90'
        }

        It 'stops asking for pages when the pipeline stops: -All | Select-Object -First 3 asks for no page after the one already on its way' {
            # -All asks for page 2 while page 1 is written (prefetch), so when Select-Object stops
            # the pipeline, that request may be out (and is cancelled); page 3 never is.
            $first = Invoke-IcaRestMethod Get projects -All -PageSize 10 | Select-Object -First 3
            $first.Count | Should -Be 3
            (Get-FakeIcaStats $Server).PageRequests | Should -BeLessOrEqual 2
            $page3 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('20'))
            (Get-LastRequest).path | Should -Not -Match ([regex]::Escape("pageToken=$page3"))
        }

        It 'asks for no page beyond the one that completes -First' {
            (Invoke-IcaRestMethod projects -All -PageSize 10 -First 10).Count | Should -Be 10
            (Get-FakeIcaStats $Server).PageRequests | Should -Be 1
        }

        It 'reports progress with the records so far and ICA''s total' {
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript({
                        param($manifest)
                        Import-Module $manifest
                        $ProgressPreference = 'Continue'
                        Invoke-IcaRestMethod projects -All -PageSize 40 | Out-Null
                    }).AddArgument($ModuleManifest)
                $ps.Invoke()
                $ps.Streams.Error | Should -BeNullOrEmpty
                $progress = @($ps.Streams.Progress | Where-Object Activity -EQ 'Invoke-IcaRestMethod -All')
                $progress.StatusDescription | Should -Be @('40 of 95 records', '80 of 95 records', '95 of 95 records')
                $progress[0].PercentComplete | Should -Be 42
                $progress[-1].RecordType | Should -Be 'Completed'
            }
            finally { $ps.Dispose() }
        }

        It 'honours -First and -Skip across pages with -All, and on one page without it' {
            $some = Invoke-IcaRestMethod Get projects -All -PageSize 10 -Skip 15 -First 10
            $some.id | Should -Be (16..25 | ForEach-Object { 'p{0:D5}' -f $_ })
            (Get-FakeIcaStats $Server).PageRequests | Should -Be 3
            (Invoke-IcaRestMethod Get projects -Skip 2 -First 3).id | Should -Be @('p00003', 'p00004', 'p00005')
        }

        It 'reports the total with -IncludeTotalCount' {
            $out = Invoke-IcaRestMethod Get projects -All -PageSize 50 -IncludeTotalCount
            @($out).Count | Should -Be 96
            "$($out[-1])" | Should -Match '95'
        }

        It 'without -All writes the page as ICA sent it' {
            $page = Invoke-IcaRestMethod Get projects -PageSize 5
            $page.items.Count | Should -Be 5
            $page.remainingRecords | Should -Be 90
            $page.nextPageToken | Should -Not -BeNullOrEmpty
        }
    }

    Context 'requests are what the user meant, and the conventions of Invoke-RestMethod (issue 16)' {
        It '16.1: refuses an empty segment or an unfilled template in -Path, naming -Path, before anything is sent' {
            $unset = $null
            foreach ($path in "projects/$unset", "projects/$unset/analyses", 'projects/p00001/analyses/{analysisId}') {
                $failure = Get-ErrorIdOf { Invoke-IcaRestMethod Delete $path }
                $failure.FullyQualifiedErrorId | Should -BeLike 'IcaInvalidPath,*'
                $failure.TargetObject | Should -Be 'Path'
                $failure.Exception.Message | Should -Match '-Path'
            }
            # {projectId} is filled from the context; with no project set it is refused just as early.
            $failure = Get-ErrorIdOf { Invoke-IcaRestMethod Delete 'projects/{projectId}/analyses' }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaProjectRequired,*'
            $failure.TargetObject | Should -Be 'Path'
            (Get-FakeIcaStats $Server).ApiRequests | Should -Be 0
            (Invoke-IcaRestMethod projects -All).Count | Should -Be 25
        }

        It '16.2: refuses -Body on GET, saying to use -Query; an object piped by mistake is not sent' {
            $failure = Get-ErrorIdOf { Invoke-IcaRestMethod projects -Body @{ search = 'tumor' } }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaBodyNotAllowed,*'
            $failure.TargetObject | Should -Be 'Body'
            $failure.Exception.Message | Should -Match '-Query'
            $failure = Get-ErrorIdOf { Get-IcaConfig -ListAvailable | Invoke-IcaRestMethod projects -First 1 }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaBodyNotAllowed,*'
            (Get-FakeIcaStats $Server).ApiRequests | Should -Be 0
        }

        It '16.3: refuses -All with -OutFile or -ResponseHeadersVariable, with a named id' {
            $file = Join-Path $TestDrive 'all.json'
            $failure = Get-ErrorIdOf { Invoke-IcaRestMethod projects -All -OutFile $file }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaParameterConflict,*'
            $failure.TargetObject | Should -Be 'OutFile'
            $failure = Get-ErrorIdOf { Invoke-IcaRestMethod projects -All -ResponseHeadersVariable h }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaParameterConflict,*'
            $failure.TargetObject | Should -Be 'ResponseHeadersVariable'
            Test-Path $file | Should -BeFalse
            (Get-FakeIcaStats $Server).ApiRequests | Should -Be 0
        }

        It '16.4: completes -Profile from the profile file, although -Path is the API path here' {
            foreach ($line in 'Invoke-IcaRestMethod projects -Profile ', 'Invoke-IcaRestMethod -Path projects -Profile ', 'Invoke-IcaRestMethod Get projects/p00001 -Profile f') {
                (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'fake' -Because $line
            }
        }

        It '16.5: parses JSON with PowerShell''s own ConvertFrom-Json, not a user''s function of that name' {
            function global:ConvertFrom-Json { 'hijacked' }
            try { (Invoke-IcaRestMethod projects/p00001).id | Should -Be 'p00001' }
            finally { Remove-Item Function:\ConvertFrom-Json }
        }

        It '16.6: shows the query in -Verbose, with the values of secret-looking names cut' {
            $verbose = Invoke-IcaRestMethod projects -Query @{ search = 'tumor'; apiKey = 'k-secret-value' } -Verbose 4>&1 | Where-Object { $_ -is [Management.Automation.VerboseRecord] } | Out-String
            $verbose | Should -Match 'search=tumor'
            $verbose | Should -Match 'apiKey=\*\*\*'
            $verbose | Should -Not -Match 'k-secret-value'
        }

        It '16.7: -WhatIf sends nothing for Delete; -Confirm:$false deletes' {
            Invoke-IcaRestMethod Delete projects/p00002 -WhatIf
            $stats = Get-FakeIcaStats $Server
            $stats.ApiRequests | Should -Be 0
            $stats.TokenRequests | Should -Be 0
            (Invoke-IcaRestMethod projects/p00002).id | Should -Be 'p00002'
            Invoke-IcaRestMethod Delete projects/p00002 -Confirm:$false
            { Invoke-IcaRestMethod projects/p00002 } | Should -Throw -ErrorId 'ICA_PROJ_404,*'
        }

        It '16.8: puts ICA''s answer in ErrorDetails, as Invoke-RestMethod does' {
            $failure = Get-ErrorIdOf { Invoke-IcaRestMethod projects/none }
            ($failure.ErrorDetails.Message | ConvertFrom-Json).title | Should -Be 'ICA_PROJ_404'
            $failure.Exception.Message | Should -Match 'ICA said 404'
        }

        It '-StatusCodeVariable receives 200, 201 and an error''s 404' {
            Invoke-IcaRestMethod projects/p00001 -StatusCodeVariable status | Out-Null
            $status | Should -Be 200
            Invoke-IcaRestMethod Post projects -Body @{ name = 'status-code' } -StatusCodeVariable status | Out-Null
            $status | Should -Be 201
            # In this scope (Get-ErrorIdOf would run it in its own): the variable is set where the command runs.
            try { Invoke-IcaRestMethod projects/none -StatusCodeVariable status -ErrorAction Stop } catch { $_.FullyQualifiedErrorId | Should -BeLike 'ICA_PROJ_404,*' }
            $status | Should -Be 404
        }

        It '-SkipHttpErrorCheck writes the error answer instead of throwing it' {
            $answer = Invoke-IcaRestMethod projects/none -SkipHttpErrorCheck -StatusCodeVariable status -ErrorAction Stop
            $answer.title | Should -Be 'ICA_PROJ_404'
            $status | Should -Be 404
        }

        It '-TimeoutSec bounds each attempt' {
            Add-FakeIcaFault $Server Slow -DelayMilliseconds 8000
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $failure = Get-ErrorIdOf { Invoke-IcaRestMethod Post projects -Body @{ name = 'slow' } -TimeoutSec 1 }
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaTimeout,*'
            $failure.Exception.Message | Should -Match 'within 1 s'
        }

        It 'debug output shows the request body (dates in ISO 8601) and the answer, secrets cut' {
            # $DebugPreference as -Debug sets it in PowerShell 7, without an Inquire prompt in this non-interactive run.
            $DebugPreference = 'Continue'
            $debug = Invoke-IcaRestMethod Post projects -Body @{ name = 'dbg'; shortDescription = $Server.ApiKey; when = [datetime]::new(2026, 1, 2, 3, 4, 5, [DateTimeKind]::Utc) } 5>&1 |
                Where-Object { $_ -is [Management.Automation.DebugRecord] } | Out-String
            $debug | Should -Match 'Request body'
            $debug | Should -Match '"when":"2026-01-02T03:04:05.0000000Z"'
            $debug | Should -Match 'Response body'
            $debug | Should -Not -Match ([regex]::Escape($Server.ApiKey.Substring(13)))
        }

        It '16 point 3: verbose lines of a retried call reach the host before the retry''s wait ends' {
            Add-FakeIcaFault $Server TooManyRequests -RetryAfterSeconds 3
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript({ param($manifest) Import-Module $manifest; Invoke-IcaRestMethod projects/p00001 -Verbose }).AddArgument($ModuleManifest)
                $clock = [Diagnostics.Stopwatch]::StartNew()
                $run = $ps.BeginInvoke()
                $seen = $null
                while (-not $run.IsCompleted) {
                    if ($null -eq $seen -and ($ps.Streams.Verbose | Where-Object Message -Match 'Retrying')) { $seen = $clock.Elapsed.TotalSeconds }
                    Start-Sleep -Milliseconds 50
                }
                $done = $clock.Elapsed.TotalSeconds
                $ps.EndInvoke($run).id | Should -Be 'p00001'
                $seen | Should -Not -BeNullOrEmpty
                ($done - $seen) | Should -BeGreaterThan 2
            }
            finally { $ps.Dispose() }
        }
    }

    Context 'completion and help' {
        It 'completes -Path from ICA''s paths' {
            $line = 'Invoke-IcaRestMethod Get projects/'
            $matches = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.ListItemText
            $matches | Should -Contain 'projects/{projectId}'
            $matches | Should -Contain 'projects/{projectId}/data'
        }

        It 'completes a path in the first position too, where a lone path goes' {
            $line = 'Invoke-IcaRestMethod projects/'
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.ListItemText | Should -Contain 'projects/{projectId}'
            $line = 'Invoke-IcaRestMethod P'
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('Post', 'Put', 'Patch')
        }

        It 'completes -Method with the methods the path has' {
            $line = "Invoke-IcaRestMethod -Path 'projects/{projectId}' -Method "
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Sort-Object | Should -Be @('Get', 'Put')
        }
    }
}
